package io.ha4j.it.director;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/** A real server for the netns test: {@code TinyHttpServer ADDRESS PORT} answers 200 "ok" to GET /health. */
public final class TinyHttpServer {

  private TinyHttpServer() {}

  public static void main(String[] args) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(args[0]), Integer.parseInt(args[1])), 16);
    server.createContext("/health", exchange -> {
      byte[] body = "ok\n".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
    System.out.println("listening on " + server.getAddress());
  }
}
