/** The README's embedding snippet, compiled and run by a test so that it cannot rot. */
@NullMarked
package io.ha4j.examples.embedding;

import org.jspecify.annotations.NullMarked;
