package io.ha4j.director;

import io.ha4j.api.ForwardingMethod;
import io.ha4j.api.RealServer;
import io.ha4j.api.ServiceKey;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The {@code real_server} block of a virtual server: its keywords with their handlers, and the
 * end of the block, which adds the server to the pool and reads its checker.
 */
final class RealServerBlock {

  private static final KeywordTable<RealServerBlock> KEYWORDS = new KeywordTable<RealServerBlock>()
      .keyword("weight", (b, d) -> b.server = b.server.withWeight(d.integer(0, 65535)))
      .keyword("inhibit_on_failure", (b, d) -> {
        d.none();
        b.inhibitAt = d.keyword();
      })
      .repeatedBlock("TCP_CHECK", RealServerBlock::checker)
      .repeatedBlock("HTTP_GET", RealServerBlock::checker)
      .repeatedBlock("SSL_GET", RealServerBlock::checker)
      .repeatedBlock("MISC_CHECK", RealServerBlock::checker)
      .repeatedBlock("UDP_CHECK", RealServerBlock::checker)
      .repeatedBlock("SMTP_CHECK", RealServerBlock::checker)
      .unsupported("DNS_CHECK", "BFD_CHECK", "PING_CHECK", "FILE_CHECK",
          "notify_up", "notify_down")
      .ignored(VirtualServerBlock.IGNORED, " has no ha4j equivalent; ignored");

  private RealServer server;
  private @Nullable Directive checker;
  private @Nullable ConfigToken inhibitAt;

  private RealServerBlock(RealServer server) {
    this.server = server;
  }

  /**
   * What a real server takes from its virtual server.
   *
   * @param forwarding {@code lb_kind}
   * @param delayLoop the check interval unless the checker gives one
   * @param virtualhost the HTTP checks' Host header unless the checker gives one, or null
   */
  record Defaults(ForwardingMethod forwarding, Duration delayLoop, @Nullable String virtualhost) {}

  /**
   * Reads {@code r} (its block is optional) and adds the server to {@code pool}, its check (if it
   * has a checker) to {@code checks}; returns where it says {@code inhibit_on_failure}, or null.
   */
  static @Nullable ConfigToken read(Directive r, ServiceKey key, Defaults defaults, List<RealServer> pool,
      List<RealServerCheck> checks) throws ConfigException {
    List<ConfigStatement> given = r.body();
    List<ConfigStatement> body = given == null ? List.of() : given;
    // keepalived.conf(5): real_server IP [PORT]; without a port (fwmark services) it is 0, the
    // client's destination port.
    boolean withPort = r.statement().args().size() >= 2;
    r.exactly(withPort ? 2 : 1);
    InetAddress address = r.words().address(r.arg(0));
    int port = withPort ? r.words().integer(r.arg(1), 0, 65535, "port") : 0;
    RealServer server = RealServer.of(address, port).withForwarding(defaults.forwarding());
    for (RealServer earlier : pool) {
      if (earlier.endpoint().equals(server.endpoint())) {
        throw r.error("real_server " + server.endpoint() + " appears twice in " + key);
      }
    }
    RealServerBlock b = new RealServerBlock(server);
    KEYWORDS.read(body, b, r.name(), r.words());
    pool.add(b.server);
    Directive c = b.checker;
    if (c != null) {
      checks.add(CheckerBlock.read(c, b.server, defaults.delayLoop(), defaults.virtualhost()));
    }
    return b.inhibitAt;
  }

  private void checker(Directive d) throws ConfigException {
    Directive first = checker;
    if (first != null) {
      throw d.error("one checker per real_server (the first is at line " + first.keyword().line() + ")");
    }
    d.block(0);
    checker = d; // read at the end, with the server's final settings
  }
}
