package io.ha4j.zookeeper;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay between one ZooKeeper client and its server that can drop everything on command
 * without closing a socket: a silent partition, which the client notices only by its read timeout
 * and the server only by the session timeout (a closed socket would be noticed at once).
 */
final class BlackholeProxy implements AutoCloseable {

  private final ServerSocket listener;
  private final int target;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private volatile boolean cut;

  BlackholeProxy(int targetPort) throws IOException {
    this.target = targetPort;
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread accept = new Thread(this::acceptLoop, "blackhole-accept");
    accept.setDaemon(true);
    accept.start();
  }

  String connectString() {
    return "127.0.0.1:" + listener.getLocalPort();
  }

  /** From now on every byte either way is dropped, and new connections lead nowhere. */
  void cut() {
    cut = true;
  }

  /** Forwards again; the connections of the cut are closed, as a healed network's stale ones reset. */
  void heal() {
    cut = false;
    for (Socket s : sockets) {
      closeQuietly(s);
    }
    sockets.clear();
  }

  private void acceptLoop() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        sockets.add(client);
        if (cut) {
          relay(client.getInputStream(), null);
          continue;
        }
        Socket server = new Socket();
        server.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), target));
        sockets.add(server);
        relay(client.getInputStream(), server);
        relay(server.getInputStream(), client);
      } catch (IOException e) {
        if (!listener.isClosed()) {
          throw new UncheckedIOException(e);
        }
      }
    }
  }

  private void relay(InputStream in, Socket to) {
    Thread t = new Thread(() -> {
      byte[] buf = new byte[8192];
      try {
        OutputStream out = to == null ? null : to.getOutputStream();
        for (int n; (n = in.read(buf)) >= 0; ) {
          if (!cut && out != null) {
            out.write(buf, 0, n);
          }
        }
      } catch (IOException e) {
        // The other side or heal() closed it.
      }
    }, "blackhole-relay");
    t.setDaemon(true);
    t.start();
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // Closing anyway.
    }
  }

  @Override
  public void close() throws IOException {
    listener.close();
    heal();
  }
}
