/** See the module documentation. */
@NullMarked
package io.ha4j.vip.internal;

import org.jspecify.annotations.NullMarked;
