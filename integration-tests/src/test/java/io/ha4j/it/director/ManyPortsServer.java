package io.ha4j.it.director;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * Real servers for the netns storm test: {@code ManyPortsServer ADDRESS FIRST_PORT COUNT} accepts
 * TCP connections on COUNT ports and closes each at once (a TCP_CHECK needs no more). Killing it
 * fails every check at once.
 */
public final class ManyPortsServer {

  private ManyPortsServer() {}

  public static void main(String[] args) throws IOException {
    InetAddress address = InetAddress.getByName(args[0]);
    int first = Integer.parseInt(args[1]);
    int count = Integer.parseInt(args[2]);
    Selector selector = Selector.open();
    for (int p = first; p < first + count; p++) {
      ServerSocketChannel s = ServerSocketChannel.open();
      s.bind(new InetSocketAddress(address, p), 64);
      s.configureBlocking(false);
      s.register(selector, SelectionKey.OP_ACCEPT);
    }
    System.out.println("listening on " + count + " ports from " + address.getHostAddress() + ":" + first);
    while (true) {
      selector.select();
      for (SelectionKey k : selector.selectedKeys()) {
        SocketChannel c = ((ServerSocketChannel) k.channel()).accept();
        if (c != null) {
          c.close();
        }
      }
      selector.selectedKeys().clear();
    }
  }
}
