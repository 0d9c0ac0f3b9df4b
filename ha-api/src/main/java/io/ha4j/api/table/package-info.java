/** See the module documentation. */
@NullMarked
package io.ha4j.api.table;

import org.jspecify.annotations.NullMarked;
