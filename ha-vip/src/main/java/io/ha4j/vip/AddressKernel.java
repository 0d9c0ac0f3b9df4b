package io.ha4j.vip;

import io.ha4j.api.Cancellable;
import io.ha4j.api.address.AddressException;
import io.ha4j.netlink.NetlinkMessage;
import io.ha4j.netlink.NetlinkTransport;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * The kernel as a {@link VipOwner} sees it, as bytes: a NETLINK_ROUTE request socket, rtnetlink
 * notifications and link-layer frames. {@code io.ha4j.vip.linux.LinuxAddressKernel} talks to
 * Linux; the testkit's {@code FakeAddressKernel} answers the same bytes as Linux does.
 */
public interface AddressKernel extends AutoCloseable {

  /** The NETLINK_ROUTE socket requests go through (the owner wraps it in a {@code NetlinkConnection}). */
  NetlinkTransport routeSocket();

  /**
   * Delivers link and IPv4/IPv6 address notifications (RTMGRP_LINK, RTMGRP_IPV4_IFADDR,
   * RTMGRP_IPV6_IFADDR) to {@code sink} on a receive thread until cancelled. {@code lost} runs
   * when notifications were dropped (ENOBUFS), so that the caller resynchronises.
   */
  Cancellable subscribe(Consumer<NetlinkMessage> sink, Runnable lost);

  /**
   * Sends one whole Ethernet frame out of interface {@code index}.
   *
   * @throws AddressException if it could not be sent (for example NOT_PERMITTED without CAP_NET_RAW)
   */
  void sendFrame(int index, byte[] frame);

  /** Where {@link #receiveClaims} hands the frames it heard. */
  @FunctionalInterface
  interface FrameSink {
    /** One whole Ethernet frame received on interface {@code index} (the buffer is the sink's). */
    void frame(int index, ByteBuffer frame);
  }

  /**
   * Delivers the ARP packets and IPv6 neighbour advertisements that other hosts send, heard on any
   * interface (whole Ethernet frames; not the frames this host sends), to {@code sink} on a receive
   * thread until cancelled: how an owner hears another host claim its addresses. The default hears
   * nothing.
   *
   * @throws AddressException if the kernel refuses the sockets (NOT_PERMITTED without CAP_NET_RAW)
   */
  default Cancellable receiveClaims(FrameSink sink) {
    return () -> { };
  }

  /** Releases the sockets; no notification is delivered after it returns. */
  @Override
  void close();
}
