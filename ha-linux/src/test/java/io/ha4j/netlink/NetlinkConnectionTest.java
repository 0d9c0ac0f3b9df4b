package io.ha4j.netlink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ha4j.api.Clock;
import io.ha4j.linux.Errno;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Sequence/port checks, acks, errors, dumps and pipelining over a scripted in-memory kernel. */
class NetlinkConnectionTest {

  static final int PORT = 4242;

  /** A kernel that answers each request message through a script; replies queue up in order. */
  static final class ScriptedKernel implements NetlinkTransport {
    final ArrayDeque<Object> queue = new ArrayDeque<>();
    final Function<NetlinkMessage, List<Object>> script;
    final List<NetlinkMessage> requests = new ArrayList<>();

    ScriptedKernel(Function<NetlinkMessage, List<Object>> script) {
      this.script = script;
    }

    @Override
    public int portId() {
      return PORT;
    }

    @Override
    public void send(ByteBuffer datagram) {
      for (NetlinkMessage m : NetlinkMessage.parseAll(datagram)) {
        requests.add(m);
        queue.addAll(script.apply(m));
      }
    }

    @Override
    public ByteBuffer receive(Duration timeout) {
      Object next = queue.poll();
      if (next == null) {
        throw new NetlinkException(NetlinkException.Kind.TIMEOUT, 0, "nothing queued", null, null);
      }
      if (next instanceof NetlinkException e) {
        throw e;
      }
      return (ByteBuffer) next;
    }

    @Override
    public void close() {}
  }

  static ByteBuffer ack(NetlinkMessage req, int errno, int pid) {
    ByteBuffer b = ByteBuffer.allocate(36).order(ByteOrder.nativeOrder());
    b.putInt(36).putShort((short) Netlink.NLMSG_ERROR).putShort((short) Netlink.F_CAPPED)
        .putInt(req.sequence()).putInt(pid).putInt(-errno)
        .putInt(16 + req.payload().remaining()).putShort((short) req.type()).putShort((short) req.flags())
        .putInt(req.sequence()).putInt(req.portId());
    return b.flip();
  }

  static ByteBuffer data(NetlinkMessage req, int type, int flags, int pid) {
    ByteBuffer b = ByteBuffer.allocate(20).order(ByteOrder.nativeOrder());
    b.putInt(20).putShort((short) type).putShort((short) flags).putInt(req.sequence()).putInt(pid).putInt(0);
    return b.flip();
  }

  static NetlinkConnection connection(NetlinkTransport t) {
    return new NetlinkConnection(t, Clock.system(), Duration.ofSeconds(1));
  }

  @Test
  void requestReturnsDataBeforeAckAndSkipsStaleSequence() {
    ScriptedKernel k = new ScriptedKernel(req -> {
      ByteBuffer stale = data(req, 0x20, 0, PORT);
      stale.putInt(8, req.sequence() - 1);
      return List.of(stale, data(req, 0x20, 0, PORT), ack(req, 0, PORT));
    });
    NetlinkConnection c = connection(k);
    List<NetlinkMessage> replies = c.request(new MessageBuilder(0x20, 0));
    assertEquals(1, replies.size());
    assertEquals(1, c.staleReplies());
    assertEquals(Netlink.F_REQUEST | Netlink.F_ACK, k.requests.get(0).flags());
  }

  @Test
  void replyForAnotherPortIsAProtocolError() {
    NetlinkConnection c = connection(new ScriptedKernel(req -> List.of(ack(req, 0, PORT + 1))));
    NetlinkException e = assertThrows(NetlinkException.class, () -> c.request(new MessageBuilder(0x20, 0)));
    assertEquals(NetlinkException.Kind.PROTOCOL, e.kind());
  }

  @Test
  void lostReplyTimesOut() {
    NetlinkConnection c = connection(new ScriptedKernel(req -> List.of()));
    NetlinkException e = assertThrows(NetlinkException.class, () -> c.request(new MessageBuilder(0x20, 0)));
    assertEquals(NetlinkException.Kind.TIMEOUT, e.kind());
  }

  @Test
  void kernelErrnoIsReported() {
    NetlinkConnection c = connection(new ScriptedKernel(req -> List.of(ack(req, Errno.EEXIST.number(), PORT))));
    NetlinkException e = assertThrows(NetlinkException.class, () -> c.request(new MessageBuilder(0x20, 0)));
    assertEquals(NetlinkException.Kind.KERNEL, e.kind());
    assertEquals(Errno.EEXIST.number(), e.errno());
  }

  @Test
  void dumpCollectsPartsAndRestartsAfterOverrun() {
    int[] calls = {0};
    ScriptedKernel k = new ScriptedKernel(req -> {
      calls[0]++;
      if (calls[0] == 1) {
        return List.of(data(req, 0x20, Netlink.F_MULTI, PORT),
            new NetlinkException(NetlinkException.Kind.OVERRUN, Errno.ENOBUFS.number(), "overrun", null, null));
      }
      return List.of(data(req, 0x20, Netlink.F_MULTI, PORT), data(req, 0x20, Netlink.F_MULTI, PORT),
          data(req, Netlink.NLMSG_DONE, Netlink.F_MULTI, PORT));
    });
    NetlinkConnection c = connection(k);
    assertEquals(2, c.dump(new MessageBuilder(0x20, 0)).size());
    assertEquals(2, k.requests.size());
    assertEquals(Netlink.F_REQUEST | Netlink.F_ACK | Netlink.F_DUMP, k.requests.get(1).flags());
  }

  @Test
  void interruptedDumpIsRestarted() {
    int[] calls = {0};
    NetlinkConnection c = connection(new ScriptedKernel(req -> {
      calls[0]++;
      int intr = calls[0] == 1 ? Netlink.F_DUMP_INTR : 0;
      return List.of(data(req, 0x20, Netlink.F_MULTI | intr, PORT), data(req, Netlink.NLMSG_DONE, Netlink.F_MULTI, PORT));
    }));
    assertEquals(1, c.dump(new MessageBuilder(0x20, 0)).size());
    assertEquals(2, calls[0]);
  }

  @Test
  void pipelineReportsEachRequestsOutcomeInOrder() {
    ScriptedKernel k = new ScriptedKernel(req -> {
      int marker = req.payload().getInt(req.payload().position());
      return List.of(ack(req, marker % 3 == 0 ? Errno.EEXIST.number() : 0, PORT));
    });
    NetlinkConnection c = connection(k);
    List<MessageBuilder> reqs = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      reqs.add(new MessageBuilder(0x20, 0).putU32(i));
    }
    List<NetlinkConnection.Reply> replies = c.pipeline(reqs, 8);
    assertEquals(100, replies.size());
    for (int i = 0; i < 100; i++) {
      NetlinkException e = replies.get(i).error();
      if (i % 3 == 0) {
        assertEquals(Errno.EEXIST.number(), e.errno(), "op " + i);
      } else {
        assertNull(e, "op " + i);
      }
    }
    assertEquals(100, k.requests.size());
    assertTrue(k.requests.stream().allMatch(r -> (r.flags() & Netlink.F_ACK) != 0));
  }

  @Test
  void fencedRequestLeftUnansweredIsAnEintrAtOnce() {
    // netlink_rcv_skb sends nothing for a handler's -EINTR and acks the NLMSG_NOOP behind it.
    ScriptedKernel k = new ScriptedKernel(m -> m.type() == Netlink.NLMSG_NOOP ? List.of(ack(m, 0, PORT)) : List.of());
    NetlinkException e = assertThrows(NetlinkException.class,
        () -> connection(k).requestFenced(new MessageBuilder(0x20, 0)));
    assertEquals(NetlinkException.Kind.KERNEL, e.kind(), e.getMessage());
    assertTrue(Errno.EINTR.is(e.errno()), e.getMessage());
    assertEquals(2, k.requests.size());
    assertEquals(Netlink.F_REQUEST | Netlink.F_ACK, k.requests.get(1).flags());
  }

  @Test
  void fencedRequestAnsweredReturnsItsDataAndLeavesNothingBehind() {
    ScriptedKernel k = new ScriptedKernel(m -> m.type() == Netlink.NLMSG_NOOP ? List.of(ack(m, 0, PORT))
        : List.of(data(m, 0x20, 0, PORT), ack(m, 0, PORT)));
    NetlinkConnection c = connection(k);
    assertEquals(1, c.requestFenced(new MessageBuilder(0x20, 0)).size());
    assertTrue(k.queue.isEmpty(), "the fence's ack was read");
    assertEquals(0, c.staleReplies());
    ScriptedKernel refusing = new ScriptedKernel(m -> List.of(ack(m, m.type() == Netlink.NLMSG_NOOP ? 0 : 3, PORT)));
    NetlinkException e = assertThrows(NetlinkException.class, () -> connection(refusing).requestFenced(new MessageBuilder(0x20, 0)));
    assertEquals(3, e.errno());
    assertTrue(refusing.queue.isEmpty());
  }
}
