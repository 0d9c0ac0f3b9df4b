package io.ha4j.director;

import static io.ha4j.director.DirectorConfigParserTest.MINIMAL;
import static io.ha4j.director.DirectorConfigParserTest.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ha4j.api.health.CheckContext;
import io.ha4j.api.health.CheckResult;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** keepalived's SMTP_CHECK (keepalived.conf.IPv6's shape): greeting 220, HELO answered 250 (RFC 5321 4.2, 4.3.2). */
class SmtpCheckTest {

  static final CheckContext CONTEXT = new OneAttempt("smtp", Duration.ofSeconds(5));

  /** A one-connection SMTP server answering with {@code greeting} and {@code heloReply}; records what it read. */
  static CheckResult against(String greeting, String heloReply, List<String> heard) throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Thread t = new Thread(() -> {
        try (Socket s = server.accept()) {
          OutputStream out = s.getOutputStream();
          BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
          out.write(greeting.getBytes(StandardCharsets.US_ASCII));
          String line;
          while ((line = in.readLine()) != null) {
            heard.add(line);
            out.write((line.startsWith("QUIT") ? "221 bye\r\n" : heloReply).getBytes(StandardCharsets.US_ASCII));
          }
        } catch (Exception e) {
          heard.add("server: " + e);
        }
      });
      t.setDaemon(true);
      t.start();
      SmtpCheck check = new SmtpCheck(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()),
          "foo.bar.com");
      return check.run(CONTEXT).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void greetingAndHeloAnsweredIsUp() throws Exception {
    List<String> heard = new CopyOnWriteArrayList<>();
    CheckResult r = against("220-mx.example.org ESMTP\r\n220 ready\r\n", "250 mx.example.org\r\n", heard);
    assertTrue(r.up(), r.detail());
    long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (heard.size() < 2 && System.nanoTime() - end < 0) {
      Thread.sleep(10);
    }
    assertEquals(List.of("HELO foo.bar.com", "QUIT"), heard);
  }

  @Test
  void aRefusingServerIsDown() throws Exception {
    CheckResult greeting = against("554 no service\r\n", "250 ok\r\n", new CopyOnWriteArrayList<>());
    assertFalse(greeting.up());
    assertTrue(greeting.detail().contains("greeting answered '554 no service'"), greeting.detail());
    CheckResult helo = against("220 ready\r\n", "501 bad helo\r\n", new CopyOnWriteArrayList<>());
    assertFalse(helo.up());
    assertTrue(helo.detail().contains("HELO answered '501 bad helo'"), helo.detail());
  }

  @Test
  void aClosedPortIsDown() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    CheckResult r = new SmtpCheck(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), "x")
        .run(CONTEXT).toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertFalse(r.up(), r.detail());
  }

  @Test
  void smtpCheckKeywords() throws Exception {
    String smtp = MINIMAL + """
        virtual_server 198.51.100.100 25 {
          real_server 198.51.100.10 25 {
            SMTP_CHECK {
              connect_timeout 3
              retry 3
              helo_name "foo.bar.com"
            }
          }
        }
        """;
    RealServerCheck c = DirectorConfigParser.parse("d.conf", smtp).virtualServers().get(0).checks().get(0);
    assertEquals(new SmtpCheck(new InetSocketAddress(AddressLiteral.require("198.51.100.10"), 25), "foo.bar.com"),
        c.check());
    assertEquals(Duration.ofSeconds(3), c.settings().timeout());
    assertEquals(new SmtpCheck(new InetSocketAddress(AddressLiteral.require("198.51.100.10"), 25),
        "smtpchecker.keepalived.org"), DirectorConfigParser.parse("d.conf", smtp.replace("      helo_name \"foo.bar.com\"\n",
        "")).virtualServers().get(0).checks().get(0).check());
    assertError(smtp.replace("retry 3", "host {\n        connect_ip 198.51.100.11\n      }"), 14, 7, "host",
        "host is not supported by the ha4j director");
  }
}
