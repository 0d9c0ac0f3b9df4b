/** See the module documentation. */
@NullMarked
package io.ha4j.api.election;

import org.jspecify.annotations.NullMarked;
