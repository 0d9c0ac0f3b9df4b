/** JUnit 5 support: prerequisites of tests that need root, namespaces or a kernel VM. */
@NullMarked
package io.ha4j.testkit.junit;

import org.jspecify.annotations.NullMarked;
