package io.ha4j.it.heartbeat;

import java.io.BufferedWriter;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;

/**
 * An eavesdropper for the freshness tests, as its own process in a namespace: {@code record}
 * writes every datagram that reaches its socket to a file (hex, one per line, flushed at once);
 * {@code replay} sends the recorded datagrams in order to a target, one every {@code spacingMs},
 * round after round, for {@code durationMs}, and prints {@code REPLAYED <count>}.
 *
 * <pre>
 * args: record bindAddress port file
 *       replay bindAddress port file targetAddress targetPort spacingMs durationMs
 * </pre>
 */
public final class DatagramTapMain {

  private DatagramTapMain() {}

  public static void main(String[] args) throws Exception {
    InetSocketAddress bind = new InetSocketAddress(InetAddress.getByName(args[1]), Integer.parseInt(args[2]));
    Path file = Path.of(args[3]);
    try (DatagramSocket socket = new DatagramSocket(bind)) {
      if (args[0].equals("record")) {
        System.out.println("READY");
        System.out.flush();
        byte[] buf = new byte[2048];
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.US_ASCII)) {
          while (true) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            socket.receive(p);
            out.write(HexFormat.of().formatHex(buf, 0, p.getLength()));
            out.newLine();
            out.flush();
          }
        }
      }
      List<byte[]> capture = Files.readAllLines(file, StandardCharsets.US_ASCII).stream()
          .filter(l -> !l.isBlank()).map(l -> HexFormat.of().parseHex(l)).toList();
      InetSocketAddress target = new InetSocketAddress(InetAddress.getByName(args[4]), Integer.parseInt(args[5]));
      long spacingMs = Long.parseLong(args[6]);
      long end = System.nanoTime() + Long.parseLong(args[7]) * 1_000_000;
      long sent = 0;
      while (System.nanoTime() - end < 0 && !capture.isEmpty()) {
        for (byte[] d : capture) {
          if (System.nanoTime() - end >= 0) {
            break;
          }
          socket.send(new DatagramPacket(d, d.length, target));
          sent++;
          Thread.sleep(spacingMs);
        }
      }
      System.out.println("REPLAYED " + sent + " of " + capture.size() + " recorded");
      System.out.flush();
    }
  }
}
