package io.ha4j.examples.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The client of the netns test, run inside a namespace where curl may be missing: {@code HttpProbe
 * HOST PORT PATH} prints one answer's body (exit 1 if there is none); {@code HttpProbe HOST PORT
 * PATH INTERVAL-MS} asks forever, a fresh connection each time (so every answer shows who holds the
 * VIP now), printing {@code MILLIS ok FIRST-LINE} or {@code MILLIS fail CAUSE} per request.
 */
public final class HttpProbe {

  static final int TIMEOUT_MS = 250;

  private HttpProbe() {}

  public static void main(String[] args) throws InterruptedException {
    String host = args[0];
    int port = Integer.parseInt(args[1]);
    String path = args[2];
    if (args.length == 3) {
      try {
        System.out.print(get(host, port, path));
        System.exit(0);
      } catch (IOException e) {
        System.out.println("fail " + e);
        System.exit(1);
      }
    }
    long interval = Long.parseLong(args[3]);
    long start = System.nanoTime();
    while (true) {
      long t = System.nanoTime();
      String line;
      try {
        String body = get(host, port, path);
        int nl = body.indexOf('\n');
        line = "ok " + (nl < 0 ? body : body.substring(0, nl));
      } catch (IOException e) {
        line = "fail " + e.toString().replace('\n', ' ');
      }
      System.out.println((t - start) / 1_000_000 + " " + line);
      System.out.flush();
      long left = interval - (System.nanoTime() - t) / 1_000_000;
      if (left > 0) {
        Thread.sleep(left);
      }
    }
  }

  /** One HTTP/1.0 GET on a new connection; the body if the status is 200. */
  static String get(String host, int port, String path) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), TIMEOUT_MS);
      s.setSoTimeout(TIMEOUT_MS);
      OutputStream out = s.getOutputStream();
      out.write(("GET " + path + " HTTP/1.0\r\nHost: " + host + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      int headerEnd = response.indexOf("\r\n\r\n");
      if (!response.startsWith("HTTP/1.") || headerEnd < 0) {
        throw new IOException("not an HTTP response: " + response);
      }
      String status = response.substring(0, response.indexOf("\r\n"));
      if (!status.contains(" 200 ")) {
        throw new IOException(status);
      }
      return response.substring(headerEnd + 4);
    }
  }
}
