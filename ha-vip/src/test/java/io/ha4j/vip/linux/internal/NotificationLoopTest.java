package io.ha4j.vip.linux.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ha4j.api.address.AddressException;
import io.ha4j.netlink.NetlinkMessage;
import io.ha4j.vip.codec.LinkMessage;
import io.ha4j.vip.codec.Rtnetlink;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** issue 16 item 8: the notification thread recovers from an unexpected receive error instead of ending. */
class NotificationLoopTest {

  /** Plays a script of outcomes; an exception in it is thrown by receive(). */
  private static final class Scripted implements NotificationLoop.Source {
    final Deque<Object> script;
    boolean closed;

    Scripted(Object... outcomes) {
      script = new ArrayDeque<>(List.of(outcomes));
    }

    @Override
    public RouteMonitorSocket.Received receive() {
      Object next = script.poll();
      if (next == null) {
        return new RouteMonitorSocket.Received(RouteMonitorSocket.Status.CLOSED, null);
      }
      if (next instanceof RuntimeException e) {
        throw e;
      }
      return (RouteMonitorSocket.Received) next;
    }

    @Override
    public void stop() {
      script.clear();
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  private static RouteMonitorSocket.Received linkNotification() {
    ByteBuffer b = new LinkMessage(7, LinkMessage.ARPHRD_ETHER, 0, "eth1", null, LinkMessage.IF_OPER_DOWN)
        .toMessage(Rtnetlink.RTM_NEWLINK, 0).build(0, 0);
    return new RouteMonitorSocket.Received(RouteMonitorSocket.Status.DATA, b.duplicate().order(ByteOrder.nativeOrder()));
  }

  @Test
  void anUnexpectedReceiveErrorReopensTheSocketResynchronisesAndKeepsDelivering() {
    Scripted first = new Scripted(new AddressException(AddressException.Reason.OTHER, 14, "recv failed: EFAULT"));
    Scripted second = new Scripted(linkNotification());
    List<NetlinkMessage> delivered = new ArrayList<>();
    AtomicInteger lost = new AtomicInteger();
    NotificationLoop loop = new NotificationLoop(first, () -> second, delivered::add, lost::incrementAndGet, 0);
    loop.run();
    assertEquals(1, delivered.size(), "a notification after the error still reaches the owner");
    assertEquals(1, lost.get(), "what happened meanwhile is resynchronised");
    assertEquals(1, loop.recoveries());
    assertTrue(first.closed && second.closed);
  }
}
