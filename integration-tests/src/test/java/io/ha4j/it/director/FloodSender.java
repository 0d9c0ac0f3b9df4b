package io.ha4j.it.director;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Random;

/**
 * Sends random datagrams (1 to 200 bytes) at a UDP port as fast as it can, bounded in count and
 * time, and prints what it sent: {@code FloodSender ADDRESS PORT COUNT SECONDS}, the address a
 * literal. Run in a namespace of its own by {@link DirectorFloodNetnsIT}.
 */
public final class FloodSender {

  private FloodSender() {}

  public static void main(String[] args) throws IOException {
    InetSocketAddress to = new InetSocketAddress(InetAddress.getByName(args[0]), Integer.parseInt(args[1]));
    long count = Long.parseLong(args[2]);
    long limitNanos = Long.parseLong(args[3]) * 1_000_000_000L;
    Random random = new Random(16);
    byte[] bytes = new byte[200];
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    long sent = 0;
    long errors = 0;
    long start = System.nanoTime();
    try (DatagramChannel channel = DatagramChannel.open()) {
      channel.connect(to);
      while (sent < count && System.nanoTime() - start < limitNanos) {
        if ((sent & 63) == 0) {
          random.nextBytes(bytes);
        } else {
          bytes[(int) (sent % bytes.length)] ^= (byte) sent;
        }
        buffer.clear().limit(1 + random.nextInt(bytes.length));
        try {
          channel.write(buffer);
          sent++;
        } catch (IOException e) {
          errors++; // ICMP errors reported on the connected socket: count and go on
        }
      }
    }
    long took = (System.nanoTime() - start) / 1_000_000;
    System.out.printf("[flood] sent %d datagrams to %s in %d ms (%d send errors)%n", sent, to, took, errors);
  }
}
