package io.ha4j.it.heartbeat;

import io.ha4j.api.Clock;
import io.ha4j.api.transport.WitnessTransport.CloseReason;
import io.ha4j.api.transport.WitnessTransport.WitnessConnection;
import io.ha4j.heartbeat.witness.linux.LinuxWitnessTransport;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * A witness listener as its own process, for the network-namespace tests: it echoes every message,
 * and on {@code exit} answers {@code bye} and exits normally. Prints {@code LISTENING}, then {@code
 * OPENED}, {@code RECEIVED <text>} and {@code CLOSED <reason>} for each connection.
 *
 * <pre>args: bindAddress port peer key|nokey</pre>
 */
public final class WitnessListenerMain {

  private WitnessListenerMain() {}

  public static void main(String[] args) throws Exception {
    InetAddress bind = InetAddress.getByName(args[0]);
    int port = Integer.parseInt(args[1]);
    InetAddress peer = InetAddress.getByName(args[2]);
    byte[] key = "key".equals(args[3]) ? LinuxWitnessTransport.tcpMd5Key(HeartbeatNodeMain.KEY) : null;
    LinuxWitnessTransport t = LinuxWitnessTransport.open(new InetSocketAddress(bind, port), List.of(peer), key,
        Clock.system());
    t.listen(c -> c.attach(new WitnessConnection.Handler() {
      @Override
      public void opened(WitnessConnection connection) {
        say("OPENED " + connection.peer());
      }

      @Override
      public void received(WitnessConnection connection, ByteBuffer message) {
        String text = StandardCharsets.US_ASCII.decode(message.duplicate()).toString();
        say("RECEIVED " + text);
        if (text.equals("exit")) {
          connection.send(ByteBuffer.wrap("bye".getBytes(StandardCharsets.US_ASCII)));
          // A normal exit: the JVM ends while the connection is open, as a daemon's would.
          new Thread(() -> {
            try {
              Thread.sleep(50);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            System.exit(0);
          }).start();
        } else {
          connection.send(message);
        }
      }

      @Override
      public void closed(WitnessConnection connection, CloseReason reason) {
        say("CLOSED " + reason);
      }
    }));
    say("LISTENING " + t.localAddress());
    new CountDownLatch(1).await();
  }

  private static void say(String line) {
    System.out.println(line);
    System.out.flush();
  }
}
