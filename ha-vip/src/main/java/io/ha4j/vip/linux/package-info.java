/** See the module documentation. */
@NullMarked
package io.ha4j.vip.linux;

import org.jspecify.annotations.NullMarked;
