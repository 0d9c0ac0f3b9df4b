/** See the module documentation. */
@NullMarked
package io.ha4j.api.transport;

import org.jspecify.annotations.NullMarked;
