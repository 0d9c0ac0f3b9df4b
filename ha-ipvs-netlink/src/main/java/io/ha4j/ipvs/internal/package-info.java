/** IPVS wire codec: attribute numbers and the mapping between records and messages. */
@NullMarked
package io.ha4j.ipvs.internal;

import org.jspecify.annotations.NullMarked;
