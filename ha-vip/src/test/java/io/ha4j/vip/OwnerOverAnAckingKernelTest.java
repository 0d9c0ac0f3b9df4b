package io.ha4j.vip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ha4j.api.Cancellable;
import io.ha4j.api.VirtualAddress;
import io.ha4j.core.time.VirtualScheduler;
import io.ha4j.netlink.Netlink;
import io.ha4j.netlink.NetlinkException;
import io.ha4j.netlink.NetlinkMessage;
import io.ha4j.netlink.NetlinkTransport;
import io.ha4j.vip.codec.LinkMessage;
import io.ha4j.vip.codec.MacAddress;
import io.ha4j.vip.codec.Rtnetlink;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * A VIP owner over a kernel that changes nothing, through the public API only: what a throwaway
 * owner needs to run a take-over and give it back with no interface, address or frame touched.
 */
class OwnerOverAnAckingKernelTest {

  /**
   * Answers as rtnetlink(7) does where it succeeds: RTM_GETLINK with one RTM_NEWLINK (an Ethernet
   * interface that is up) and an ack, a dump with NLMSG_DONE alone, any other request with an ack
   * (NLMSG_ERROR, error 0, netlink(7)); counts the changes it acked and drops every frame.
   */
  private static final class AckingKernel implements AddressKernel, NetlinkTransport {
    private static final int PORT_ID = 0x5245;
    private static final int FLAGS = LinkMessage.IFF_UP | LinkMessage.IFF_RUNNING | LinkMessage.IFF_LOWER_UP;
    private final Deque<ByteBuffer> replies = new ArrayDeque<>();
    private final List<Integer> changes = new ArrayList<>();
    private int lookups;
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
          LinkMessage link = new LinkMessage(2, LinkMessage.ARPHRD_ETHER, FLAGS, LinkMessage.from(m).name(),
              MacAddress.parse("02:00:00:00:00:01"), LinkMessage.IF_OPER_UP);
          replies.add(link.toMessage(Rtnetlink.RTM_NEWLINK, 0).build(m.sequence(), PORT_ID));
          replies.add(Rtnetlink.error(m, 0, PORT_ID));
        } else if ((m.flags() & Netlink.F_DUMP) == Netlink.F_DUMP) {
          replies.add(Rtnetlink.done(m.sequence(), PORT_ID, false));
        } else {
          changes.add(m.type());
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

    @Override
    public void close() {
      closed = true;
    }
  }

  @Test
  void takesOverAndGivesBackOverAKernelThatAcksEveryRequestAndDropsEveryFrame() throws Exception {
    VirtualAddress v4 = VirtualAddress.of(InetAddress.getByName("198.51.100.100"), 24, "eth0");
    VirtualAddress v6 = VirtualAddress.of(InetAddress.getByName("2001:db8::100"), 64, "eth0");
    for (int round = 0; round < 2; round++) { // nothing is kept from one owner to the next
      VirtualScheduler scheduler = VirtualScheduler.create();
      AckingKernel kernel = new AckingKernel();
      VipOwner owner = VipOwner.builder(kernel, scheduler).build();
      owner.manage(v4);
      owner.manage(v6);
      owner.prepare();
      assertEquals(1, kernel.lookups, "eth0 looked up once, by prepare()");
      for (VirtualAddress v : List.of(v4, v6)) {
        owner.add(v);
        owner.announce(v);
      }
      assertEquals(2 * 5, kernel.frames, "keepalived's first burst of 5, per VIP");
      scheduler.clock().advanceBy(Duration.ofSeconds(5));
      assertEquals(2 * 10, kernel.frames, "and its second after garp_master_delay");
      owner.remove(v4);
      owner.remove(v6);
      assertTrue(owner.owned().isEmpty());
      owner.close();
      scheduler.clock().advanceBy(Duration.ofMinutes(5));
      assertEquals(2 * 10, kernel.frames, "nothing is left scheduled");
      assertEquals(1, kernel.lookups, "the take-over used the prepared interface");
      assertEquals(List.of(Rtnetlink.RTM_NEWADDR, Rtnetlink.RTM_NEWADDR, Rtnetlink.RTM_DELADDR, Rtnetlink.RTM_DELADDR),
          kernel.changes);
      assertEquals(2 * 10, owner.framesSent());
      assertTrue(kernel.closed);
    }
  }
}
