package io.ha4j.director;

import io.ha4j.api.RealServer;
import io.ha4j.api.health.CheckSettings;
import io.ha4j.api.health.HealthCheck;
import io.ha4j.core.health.CommandCheck;
import io.ha4j.core.health.TcpCheck;
import io.ha4j.core.health.UdpCheck;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A real server's checker block, {@code TCP_CHECK} or {@code HTTP_GET} / {@code SSL_GET} (which
 * add {@code url} and {@code virtualhost}): the keywords with their handlers, and the end of the
 * block, which builds the check and its settings.
 */
final class CheckerBlock {

  static final Set<String> IGNORED = Set.of("warmup");
  private static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);

  private static final KeywordTable<CheckerBlock> TCP_CHECK = new KeywordTable<CheckerBlock>()
      .keyword("connect_timeout", (b, d) -> b.timeout = d.positiveSeconds())
      .keyword("connect_port", (b, d) -> b.port = d.integer(1, 65535))
      .keyword("connect_ip", (b, d) -> b.ip = d.address())
      .keyword("retry", (b, d) -> b.retries = d.integer(0, 1000))
      .keyword("nb_get_retry", (b, d) -> b.retries = d.integer(0, 1000))
      .keyword("delay_before_retry", (b, d) -> b.retryDelay = d.seconds())
      .keyword("delay_loop", (b, d) -> b.interval = d.positiveSeconds())
      .keyword("rise", (b, d) -> b.rise = d.integer(1, 1000))
      .keyword("fall", (b, d) -> b.fall = d.integer(1, 1000))
      .ignored(IGNORED, " has no ha4j equivalent; ignored");

  /**
   * keepalived's MISC_CHECK: a command's exit status (0 up), with the timing keywords but not the
   * connection ones; its timeout is {@code misc_timeout}, by default the check interval (keepalived's).
   */
  private static final KeywordTable<CheckerBlock> MISC_CHECK = new KeywordTable<CheckerBlock>()
      .keyword("misc_path", (b, d) -> b.command = CommandLine.argv(d))
      .keyword("misc_timeout", (b, d) -> b.miscTimeout = d.positiveSeconds())
      .keyword("retry", (b, d) -> b.retries = d.integer(0, 1000))
      .keyword("delay_before_retry", (b, d) -> b.retryDelay = d.seconds())
      .keyword("delay_loop", (b, d) -> b.interval = d.positiveSeconds())
      .keyword("rise", (b, d) -> b.rise = d.integer(1, 1000))
      .keyword("fall", (b, d) -> b.fall = d.integer(1, 1000))
      // keepalived's dynamic weights from exit codes 2..255: ha4j's pool weights are the configured ones.
      .unsupported("misc_dynamic", "user")
      .ignored(IGNORED, " has no ha4j equivalent; ignored");

  /**
   * keepalived's UDP_CHECK with {@code require_reply}: a datagram ({@code payload}, hex) that must
   * be answered (by these bytes, if given). Without require_reply keepalived counts silence as up
   * and only an ICMP port unreachable as down; ha4j's UDP check needs a reply, so that is refused.
   */
  private static final KeywordTable<CheckerBlock> UDP_CHECK = TCP_CHECK.copy()
      .keyword("payload", (b, d) -> b.payload = hex(d, d.value()))
      .keyword("require_reply", (b, d) -> {
        b.requireReply = d.keyword();
        if (!d.statement().args().isEmpty()) {
          b.reply = hex(d, d.value());
        }
      })
      .unsupported("min_reply_length", "max_reply_length");

  /** keepalived's SMTP_CHECK on the real server (or connect_ip/connect_port); its host { } sub-blocks are refused. */
  private static final KeywordTable<CheckerBlock> SMTP_CHECK = TCP_CHECK.copy()
      .keyword("helo_name", (b, d) -> {
        String name = d.word();
        if (name.isEmpty() || name.chars().anyMatch(ch -> ch <= ' ' || ch == 127)) {
          throw d.error(d.arg(0), "helo_name must be one word");
        }
        b.helo = name;
      })
      .unsupported("host");

  private static final KeywordTable<CheckerBlock> HTTP_GET = TCP_CHECK.copy()
      .repeatedBlock("url", CheckerBlock::url)
      .keyword("virtualhost", (b, d) -> b.host = d.word());

  private final String name;
  private Duration interval;
  private Duration timeout = DEFAULT_CONNECT_TIMEOUT;
  private InetAddress ip;
  private int port;
  private int retries = 0;
  private Duration retryDelay = Duration.ofSeconds(1);
  private int rise = 1;
  private int fall = 1;
  private final List<Directive> urls = new ArrayList<>();
  private List<String> command = List.of();
  private byte[] payload = new byte[0];
  private byte @Nullable [] reply;
  private @Nullable ConfigToken requireReply;
  private String helo = SmtpCheck.DEFAULT_HELO;
  private @Nullable Duration miscTimeout;
  private @Nullable String host;

  private CheckerBlock(String name, RealServer server, Duration delayLoop, @Nullable String virtualhost) {
    this.name = name;
    this.interval = delayLoop;
    this.ip = server.address();
    this.port = server.port();
    this.host = virtualhost;
  }

  /**
   * The check of {@code server} by checker {@code c}; the interval is the virtual server's {@code
   * delay_loop} and the Host header its {@code virtualhost} (or none) unless the checker says otherwise.
   */
  static RealServerCheck read(Directive c, RealServer server, Duration delayLoop, @Nullable String virtualhost)
      throws ConfigException {
    CheckerBlock b = new CheckerBlock(c.name(), server, delayLoop, virtualhost);
    switch (c.name()) {
      case "TCP_CHECK" -> TCP_CHECK.read(c, 0, b);
      case "MISC_CHECK" -> MISC_CHECK.read(c, 0, b);
      case "UDP_CHECK" -> UDP_CHECK.read(c, 0, b);
      case "SMTP_CHECK" -> SMTP_CHECK.read(c, 0, b);
      default -> HTTP_GET.read(c, 0, b);
    }
    return b.end(c, server);
  }

  private void url(Directive d) throws ConfigException {
    d.block(0);
    urls.add(d);
  }

  /** keepalived's HEX_STR: an even number of hex digits. */
  private static byte[] hex(Directive d, ConfigToken t) throws ConfigException {
    d.exactly(1);
    String v = t.text();
    if (v.isEmpty() || v.length() % 2 != 0 || !v.chars().allMatch(HexFormat::isHexDigit)) {
      throw d.error(t, d.name() + " must be an even number of hex digits");
    }
    return HexFormat.of().parseHex(v);
  }

  private RealServerCheck end(Directive c, RealServer server) throws ConfigException {
    boolean misc = c.name().equals("MISC_CHECK");
    if (port == 0 && !misc) {
      throw c.error("the real server has port 0: set connect_port");
    }
    HealthCheck check;
    if (misc) {
      if (command.isEmpty()) {
        throw c.error("MISC_CHECK needs misc_path");
      }
      check = new CommandCheck(command);
      Duration t = miscTimeout;
      timeout = t != null ? t : interval;
    } else if (c.name().equals("TCP_CHECK")) {
      check = new TcpCheck(new InetSocketAddress(ip, port));
    } else if (c.name().equals("SMTP_CHECK")) {
      check = new SmtpCheck(new InetSocketAddress(ip, port), helo);
    } else if (c.name().equals("UDP_CHECK")) {
      if (requireReply == null) {
        throw c.error("UDP_CHECK without require_reply is not supported by the ha4j director: keepalived counts silence"
            + " as up (only an ICMP port unreachable as down), ha4j's UDP check needs a reply; add require_reply");
      }
      byte[] expected = reply;
      InetSocketAddress to = new InetSocketAddress(ip, port);
      check = expected == null ? UdpCheck.anyReply(to, payload) : new UdpCheck(to, payload, expected);
    } else {
      if (urls.isEmpty()) {
        throw c.error(c.name() + " needs a url { path ... } block");
      }
      List<HealthCheck> each = new ArrayList<>();
      for (Directive u : urls) {
        each.add(UrlBlock.read(u, c.name().equals("SSL_GET"), ip, port, host));
      }
      check = each.size() == 1 ? each.get(0) : new EveryUrl(each);
    }
    try {
      CheckSettings settings = new CheckSettings(interval, timeout, rise, fall, retries, retryDelay, true);
      return new RealServerCheck(server.endpoint(), check, settings);
    } catch (IllegalArgumentException e) {
      throw c.error(String.valueOf(e.getMessage()));
    }
  }
}
