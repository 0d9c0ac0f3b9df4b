/** See the module documentation. */
@NullMarked
package io.ha4j.vip;

import org.jspecify.annotations.NullMarked;
