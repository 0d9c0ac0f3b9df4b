/** See the module documentation. */
@NullMarked
package io.ha4j.api.address;

import org.jspecify.annotations.NullMarked;
