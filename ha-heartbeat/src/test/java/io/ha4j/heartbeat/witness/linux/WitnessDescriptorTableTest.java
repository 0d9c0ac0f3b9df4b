package io.ha4j.heartbeat.witness.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ha4j.api.Clock;
import io.ha4j.heartbeat.witness.linux.LinuxWitnessTransportTest.Recorder;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The witness sockets live in the poll thread's own descriptor table, not in the process's: a
 * killed process's peers then see the close before the kernel frees the JVM's memory.
 */
class WitnessDescriptorTableTest {

  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  private static final byte[] KEY = LinuxWitnessTransportTest.KEY;
  private static final String SHARED = "io.ha4j.heartbeat.witness.sharedDescriptors";

  @BeforeEach
  void needsLinux() {
    LinuxWitnessTransportTest.assumeAvailable();
  }

  @Test
  void theListenerAndTheConnectionsAreNotInTheProcessTable() throws Exception {
    try (LinuxWitnessTransport server = open(); LinuxWitnessTransport client = open()) {
      assertNull(server.sharedTableCause());
      LinuxWitnessTransportTest.connected(server, client);
      Set<String> witness = socketsOnPort(server.localAddress().getPort());
      assertEquals(3, witness.size(), "the listener and both ends of the connection: " + witness);
      Set<String> process = processSockets();
      witness.retainAll(process);
      assertTrue(witness.isEmpty(), "witness sockets in the process's table: " + witness);
    }
  }

  @Test
  void withTheKnobTheSocketsStayInTheProcessTable() throws Exception {
    System.setProperty(SHARED, "true");
    try (LinuxWitnessTransport server = open()) {
      String cause = server.sharedTableCause();
      assertNotNull(cause);
      assertTrue(cause.contains(SHARED), cause);
      Set<String> listener = socketsOnPort(server.localAddress().getPort());
      assertEquals(1, listener.size(), listener.toString());
      assertTrue(processSockets().containsAll(listener), "the listener is in the process's table");
    } finally {
      System.clearProperty(SHARED);
    }
  }

  @Test
  void aSocketTheApplicationClosesAfterTheWitnessStartedIsReallyClosed() throws Exception {
    ServerSocket app = new ServerSocket(0, 5, LOOPBACK);
    int port = app.getLocalPort();
    try (LinuxWitnessTransport server = open()) {
      assertNull(server.sharedTableCause());
      app.close();
      // Were it kept in the poll thread's copy of the table, the socket would still listen.
      assertThrows(ConnectException.class, () -> new Socket(LOOPBACK, port).close());
    } finally {
      app.close();
    }
  }

  @Test
  void callbacksRunOnTheRelayThreadNotOnThePollThread() throws Exception {
    try (LinuxWitnessTransport server = open(); LinuxWitnessTransport client = open()) {
      CompletableFuture<String> acceptorThread = new CompletableFuture<>();
      server.listen(c -> {
        acceptorThread.complete(Thread.currentThread().getName());
        c.attach(new Recorder());
      });
      Recorder connector = new Recorder();
      client.connect(server.localAddress(), connector);
      assertEquals("opened", connector.next());
      String name = acceptorThread.get(6, TimeUnit.SECONDS);
      assertTrue(name.startsWith("ha4j-witness-events-"), name);
      CompletableFuture<String> probeThread = new CompletableFuture<>();
      client.probe(new InetSocketAddress(LOOPBACK, 1), Duration.ofSeconds(1),
          r -> probeThread.complete(Thread.currentThread().getName()));
      assertTrue(probeThread.get(6, TimeUnit.SECONDS).startsWith("ha4j-witness-events-"));
    }
  }

  @Test
  void anAcceptorThatAttachesNothingGetsTheConnectionReset() throws Exception {
    try (LinuxWitnessTransport server = open(); LinuxWitnessTransport client = open()) {
      server.listen(c -> { });
      Recorder connector = new Recorder();
      client.connect(server.localAddress(), connector);
      String first = connector.next();
      assertEquals("closed RESET", first.equals("opened") ? connector.next() : first);
    }
  }

  private static LinuxWitnessTransport open() throws IOException {
    return LinuxWitnessTransport.open(new InetSocketAddress(LOOPBACK, 0), List.of(LOOPBACK), KEY, Clock.system());
  }

  /** The socket inodes ({@code socket:[N]}) of the calling thread's descriptor table, the process's. */
  private static Set<String> processSockets() throws IOException {
    Set<String> inodes = new HashSet<>();
    try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/thread-self/fd"))) {
      for (Path fd : fds) {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.startsWith("socket:[")) {
            inodes.add(target.substring(8, target.length() - 1));
          }
        } catch (IOException e) {
          // the listing's own descriptor, gone by now
        }
      }
    }
    return inodes;
  }

  /** The inodes of the IPv4 TCP sockets whose local or remote port is {@code port}. */
  private static Set<String> socketsOnPort(int port) throws IOException {
    Set<String> inodes = new HashSet<>();
    String hex = String.format(":%04X", port);
    List<String> table = Files.readAllLines(Path.of("/proc/net/tcp"));
    for (String line : table.subList(1, table.size())) {
      String[] f = line.trim().split("\\s+");
      if ((f[1].endsWith(hex) || f[2].endsWith(hex)) && !f[9].equals("0")) {
        inodes.add(f[9]);
      }
    }
    assertFalse(inodes.isEmpty(), "no socket on port " + port);
    return inodes;
  }
}
