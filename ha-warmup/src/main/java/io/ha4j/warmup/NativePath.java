package io.ha4j.warmup;

import io.ha4j.api.Clock;
import io.ha4j.linux.internal.NativeWarmUp;
import io.ha4j.netlink.Netlink;
import io.ha4j.netlink.NetlinkConnection;
import io.ha4j.netlink.NetlinkException;
import io.ha4j.netlink.NetlinkSocket;
import io.ha4j.vip.codec.LinkMessage;
import io.ha4j.vip.codec.Rtnetlink;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The take-over's native calls, run ahead: the one {@code sendto} of ha4j against no socket, and a
 * NETLINK_ROUTE request and its reply for real, read-only ({@code RTM_GETLINK} of the loopback
 * interface, index 1), so that the take-over's RTM_NEWADDR exchange does not bind and interpret the
 * receive path either. Measured on a 2-vCPU VM: that exchange took 0.2-1.1 ms cold, 0.1 ms warm.
 */
final class NativePath {

  private static final Logger LOG = LoggerFactory.getLogger(TakeOverWarmUp.class);
  /** Above the JIT's first compilation threshold (200 calls). */
  private static final int REQUESTS = 300;
  private static final int LOOPBACK = 1;

  private NativePath() {}

  /** Runs both; false, doing nothing, where native code is unavailable. */
  static boolean run() {
    if (!NativeWarmUp.sendPath()) {
      return false;
    }
    try (NetlinkConnection route = new NetlinkConnection(NetlinkSocket.open(Netlink.PROTOCOL_ROUTE), Clock.system(),
        Duration.ofSeconds(1))) {
      for (int i = 0; i < REQUESTS; i++) {
        route.request(LinkMessage.byIndex(LOOPBACK).toMessage(Rtnetlink.RTM_GETLINK, 0));
      }
      return true;
    } catch (NetlinkException e) {
      LOG.debug("warming up the netlink path failed: {}", e.toString());
      return false;
    }
  }
}
