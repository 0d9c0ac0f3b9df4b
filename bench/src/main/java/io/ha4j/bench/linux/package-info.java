/** The benchmarks' native code, over ha-linux's libc binding: a raw-socket sniffer timing the master's advertisements as they arrive. */
@NullMarked
package io.ha4j.bench.linux;

import org.jspecify.annotations.NullMarked;
