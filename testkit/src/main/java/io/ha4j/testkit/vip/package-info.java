/**
 * A fake Linux kernel for {@code io.ha4j.vip.VipOwner}: it decodes the rtnetlink requests the real
 * kernel would get, answers them with the kernel's bytes and errno values, emits notifications on
 * command and records the announcement frames.
 */
@NullMarked
package io.ha4j.testkit.vip;

import org.jspecify.annotations.NullMarked;
