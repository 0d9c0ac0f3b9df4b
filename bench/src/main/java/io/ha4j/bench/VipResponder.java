package io.ha4j.bench;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.nio.charset.StandardCharsets;

/** A director's UDP responder: answers every probe with "NAME SEQ", on 0.0.0.0 so that it answers at the VIP too. */
final class VipResponder {
  private final DatagramSocket socket;
  private final Thread thread;

  VipResponder(DatagramSocket socket, String name) {
    this.socket = socket;
    thread = new Thread(() -> serve(name), "responder-" + name);
    thread.setDaemon(true);
    thread.start();
  }

  private void serve(String name) {
    byte[] buf = new byte[64];
    while (!socket.isClosed()) {
      try {
        DatagramPacket in = new DatagramPacket(buf, buf.length);
        socket.receive(in);
        String seq = new String(in.getData(), 0, in.getLength(), StandardCharsets.US_ASCII);
        byte[] reply = (name + " " + seq).getBytes(StandardCharsets.US_ASCII);
        socket.send(new DatagramPacket(reply, reply.length, in.getSocketAddress()));
      } catch (IOException e) {
        if (socket.isClosed()) {
          return;
        }
      }
    }
  }

  void close() {
    socket.close();
  }
}
