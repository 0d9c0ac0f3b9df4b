/** See the module documentation. */
@NullMarked
package io.ha4j.vip.codec;

import org.jspecify.annotations.NullMarked;
