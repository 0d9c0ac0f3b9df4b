package io.ha4j.warmup;

import io.ha4j.api.Cancellable;
import io.ha4j.netlink.Netlink;
import io.ha4j.netlink.NetlinkException;
import io.ha4j.netlink.NetlinkMessage;
import io.ha4j.netlink.NetlinkTransport;
import io.ha4j.vip.AddressKernel;
import io.ha4j.vip.codec.LinkMessage;
import io.ha4j.vip.codec.MacAddress;
import io.ha4j.vip.codec.Rtnetlink;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Consumer;

/**
 * A kernel that changes nothing, for a throwaway VIP owner: it answers as rtnetlink(7) does where
 * it succeeds (RTM_GETLINK with one RTM_NEWLINK, an Ethernet interface that is up, and an ack; a
 * dump with NLMSG_DONE alone; any other request with an ack, NLMSG_ERROR with error 0, netlink(7))
 * and drops every frame. Not thread-safe: one owner on one thread.
 */
final class AckingAddressKernel implements AddressKernel, NetlinkTransport {

  /** The interface index every name resolves to: 2, the first after loopback. */
  static final int INDEX = 2;
  /** A locally administered unicast address (IEEE 802: bit 1 of the first octet set). */
  static final MacAddress MAC = MacAddress.parse("02:00:00:00:00:01");
  private static final int PORT_ID = 0x5245;
  private static final int FLAGS = LinkMessage.IFF_UP | LinkMessage.IFF_RUNNING | LinkMessage.IFF_LOWER_UP;

  private final Deque<ByteBuffer> replies = new ArrayDeque<>();
  private int lookups;
  private int changes;
  private int frames;
  private boolean closed;

  @Override
  public NetlinkTransport routeSocket() {
    return this;
  }

  @Override
  public Cancellable subscribe(Consumer<NetlinkMessage> sink, Runnable lost) {
    return () -> { };
  }

  @Override
  public void sendFrame(int index, byte[] frame) {
    frames++;
  }

  @Override
  public int portId() {
    return PORT_ID;
  }

  @Override
  public void send(ByteBuffer datagram) {
    for (NetlinkMessage m : NetlinkMessage.parseAll(datagram.duplicate().order(ByteOrder.nativeOrder()))) {
      if (m.type() == Rtnetlink.RTM_GETLINK) {
        lookups++;
        LinkMessage link = new LinkMessage(INDEX, LinkMessage.ARPHRD_ETHER, FLAGS, LinkMessage.from(m).name(), MAC,
            LinkMessage.IF_OPER_UP);
        replies.add(link.toMessage(Rtnetlink.RTM_NEWLINK, 0).build(m.sequence(), PORT_ID));
        replies.add(Rtnetlink.error(m, 0, PORT_ID));
      } else if ((m.flags() & Netlink.F_DUMP) == Netlink.F_DUMP) {
        replies.add(Rtnetlink.done(m.sequence(), PORT_ID, false));
      } else {
        changes++;
        replies.add(Rtnetlink.error(m, 0, PORT_ID));
      }
    }
  }

  @Override
  public ByteBuffer receive(Duration timeout) {
    ByteBuffer r = replies.poll();
    if (r == null) {
      throw new NetlinkException(NetlinkException.Kind.TIMEOUT, 0, "no reply queued", null, null);
    }
    return r.duplicate().order(ByteOrder.nativeOrder());
  }

  /** RTM_GETLINK requests answered. */
  int lookups() {
    return lookups;
  }

  /** Requests acked that would have changed a real kernel (RTM_NEWADDR, RTM_DELADDR). */
  int changes() {
    return changes;
  }

  /** Frames dropped. */
  int frames() {
    return frames;
  }

  boolean closed() {
    return closed;
  }

  @Override
  public void close() {
    closed = true;
  }
}
