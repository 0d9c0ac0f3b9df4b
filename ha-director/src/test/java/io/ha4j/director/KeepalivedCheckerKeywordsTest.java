package io.ha4j.director;

import static io.ha4j.director.DirectorConfigParserTest.MINIMAL;
import static io.ha4j.director.DirectorConfigParserTest.assertError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ha4j.api.health.CheckContext;
import io.ha4j.api.health.CheckResult;
import io.ha4j.api.health.HealthCheck;
import io.ha4j.api.reconcile.FailureMode;
import io.ha4j.core.health.CommandCheck;
import io.ha4j.core.health.HttpCheck;
import io.ha4j.core.health.UdpCheck;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Checker keywords of keepalived.conf(5) that its samples use (keepalived.conf.SSL_GET,
 * .virtualhost, .inhibit): several {@code url} blocks (all must pass), {@code virtualhost} in the
 * virtual server (the checkers' default Host), {@code inhibit_on_failure} in {@code real_server}.
 */
class KeepalivedCheckerKeywordsTest {

  static final String TWO_URLS = MINIMAL + """
      virtual_server 198.51.100.100 80 {
        virtualhost www.example.org
        real_server 198.51.100.10 80 {
          HTTP_GET {
            url {
              path /
              digest ff20ad2481f97b1754ef3e12ecd3a9cc
            }
            url {
              path /mrtg/
              status_code 200
            }
          }
        }
      }
      """;

  @Test
  void severalUrlsAreAllCheckedWithTheVirtualServersHost() throws Exception {
    VirtualServerConfig vs = DirectorConfigParser.parse("d.conf", TWO_URLS).virtualServers().get(0);
    HealthCheck check = vs.checks().get(0).check();
    assertEquals(new EveryUrl(List.of(
        HttpCheck.get("http://198.51.100.10:80/").hostHeader("www.example.org").md5("ff20ad2481f97b1754ef3e12ecd3a9cc")
            .build(),
        HttpCheck.get("http://198.51.100.10:80/mrtg/").hostHeader("www.example.org").status(200).build())), check);
    // The checker's own virtualhost wins over the virtual server's.
    VirtualServerConfig own = DirectorConfigParser.parse("d.conf", TWO_URLS.replace("HTTP_GET {",
        "HTTP_GET {\n        virtualhost other.example.org")).virtualServers().get(0);
    assertEquals("other.example.org", ((HttpCheck) ((EveryUrl) own.checks().get(0).check()).urls().get(1)).hostHeader());
  }

  /** keepalived.conf.status_code's line: several codes and ranges, any accepted. */
  @Test
  void statusCodeTakesSeveralCodesAndRanges() throws Exception {
    VirtualServerConfig vs = DirectorConfigParser.parse("d.conf", TWO_URLS.replace("status_code 200",
        "status_code 200-299 400-499 503 505")).virtualServers().get(0);
    HttpCheck mrtg = (HttpCheck) ((EveryUrl) vs.checks().get(0).check()).urls().get(1);
    assertEquals(HttpCheck.get("http://198.51.100.10:80/mrtg/").hostHeader("www.example.org").status(200, 299)
        .alsoStatus(400, 499).alsoStatus(503, 503).alsoStatus(505, 505).build(), mrtg);
    assertError(TWO_URLS.replace("status_code 200", "status_code 200 404-400"), 20, 29, "400",
        "status_code must be an integer in 404..599");
  }

  /** keepalived.conf.misc_check_arg: the quoted misc_path is argv without a shell; the timeout defaults to the interval. */
  @Test
  void miscCheckRunsItsPathAsArgv() throws Exception {
    String misc = MINIMAL + """
        virtual_server 198.51.100.100 80 {
          delay_loop 6
          real_server 198.51.100.10 80 {
            MISC_CHECK {
              misc_path "/usr/local/bin/script.sh arg1 arg2"
            }
          }
        }
        """;
    RealServerCheck c = DirectorConfigParser.parse("d.conf", misc).virtualServers().get(0).checks().get(0);
    assertEquals(new CommandCheck(List.of("/usr/local/bin/script.sh", "arg1", "arg2")), c.check());
    assertEquals(Duration.ofSeconds(6), c.settings().timeout());
    assertEquals(Duration.ofSeconds(6), c.settings().interval());
    RealServerCheck t = DirectorConfigParser.parse("d.conf", misc.replace("arg2\"", "arg2\"\n        misc_timeout 2"))
        .virtualServers().get(0).checks().get(0);
    assertEquals(Duration.ofSeconds(2), t.settings().timeout());
    assertError(misc.replace("arg2\"", "arg2\"\n        misc_dynamic"), 15, 9, "misc_dynamic",
        "misc_dynamic is not supported by the ha4j director");
    assertError(misc.replace("      misc_path \"/usr/local/bin/script.sh arg1 arg2\"\n", ""), 13, 5, "MISC_CHECK",
        "MISC_CHECK needs misc_path");
    assertError(misc.replace("arg2\"", "arg2\"\n        connect_port 80"), 15, 9, "connect_port", "unknown keyword in MISC_CHECK");
  }

  /** keepalived.conf(5) UDP_CHECK: payload and require_reply as hex; without require_reply refused (silence would be up). */
  @Test
  void udpCheckWithRequireReply() throws Exception {
    String udp = MINIMAL + """
        virtual_server 198.51.100.100 53 {
          protocol UDP
          real_server 198.51.100.10 53 {
            UDP_CHECK {
              connect_timeout 2
              payload 00ff
              require_reply 0A0b
            }
          }
        }
        """;
    UdpCheck c = (UdpCheck) DirectorConfigParser.parse("d.conf", udp).virtualServers().get(0).checks().get(0).check();
    assertEquals(new java.net.InetSocketAddress(AddressLiteral.require("198.51.100.10"), 53), c.address());
    assertArrayEquals(new byte[] {0, (byte) 0xff}, c.payload());
    assertArrayEquals(new byte[] {10, 11}, c.expectedReply());
    UdpCheck any = (UdpCheck) DirectorConfigParser.parse("d.conf", udp.replace("require_reply 0A0b", "require_reply"))
        .virtualServers().get(0).checks().get(0).check();
    assertNull(any.expectedReply());
    assertError(udp.replace("      require_reply 0A0b\n", ""), 13, 5, "UDP_CHECK", "UDP_CHECK without require_reply");
    assertError(udp.replace("payload 00ff", "payload 0ff"), 15, 15, "0ff", "payload must be an even number of hex digits");
    assertError(udp.replace("payload 00ff", "min_reply_length 2"), 15, 7, "min_reply_length",
        "min_reply_length is not supported by the ha4j director");
  }

  record Fixed(CheckResult result, AtomicInteger runs) implements HealthCheck {
    @Override
    public CompletableFuture<CheckResult> run(CheckContext context) {
      runs.incrementAndGet();
      return CompletableFuture.completedFuture(result);
    }
  }

  /** keepalived: a real server is up only when every url passes. */
  @Test
  void everyUrlIsUpOnlyWhenEachIs() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    CheckContext ctx = new OneAttempt("t", Duration.ofSeconds(1));
    HealthCheck up1 = new Fixed(CheckResult.up("/ 200"), runs);
    HealthCheck up2 = new Fixed(CheckResult.up("/mrtg/ 200"), runs);
    HealthCheck down = new Fixed(CheckResult.down("/mrtg/ 503"), runs);
    CheckResult both = new EveryUrl(List.of(up1, up2)).run(ctx).toCompletableFuture().get();
    assertTrue(both.up());
    assertEquals("/ 200; /mrtg/ 200", both.detail());
    CheckResult one = new EveryUrl(List.of(up1, down)).run(ctx).toCompletableFuture().get();
    assertFalse(one.up());
    assertEquals("/mrtg/ 503", one.detail());
    assertEquals(4, runs.get(), "every url is fetched each attempt");
    assertThrows(IllegalArgumentException.class, () -> new EveryUrl(List.of(up1)));
  }

  @Test
  void inhibitOnFailureInEveryRealServerQuiescesAndInSomeIsRefused() throws Exception {
    String two = MINIMAL + """
        virtual_server 198.51.100.100 80 {
          real_server 198.51.100.10 80 {
            inhibit_on_failure
          }
          real_server 198.51.100.11 80 {
            inhibit_on_failure
          }
        }
        """;
    assertEquals(FailureMode.QUIESCE, DirectorConfigParser.parse("d.conf", two).virtualServers().get(0).service().failureMode());
    String plain = two.replace("    inhibit_on_failure\n", "");
    assertEquals(FailureMode.REMOVE, DirectorConfigParser.parse("d.conf", plain).virtualServers().get(0).service().failureMode());
    String some = two.replaceFirst("    inhibit_on_failure\n", "");
    assertError(some, 14, 5, "inhibit_on_failure", "inhibit_on_failure on some real servers of");
  }
}
