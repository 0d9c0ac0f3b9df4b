package io.ha4j.director;

import io.ha4j.api.health.HealthCheck;
import io.ha4j.core.health.HttpCheck;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The {@code url} block of an {@code HTTP_GET} / {@code SSL_GET} checker: path, expected status
 * and body digest, and the end of the block, which builds the HTTP(S) check.
 */
final class UrlBlock {

  private static final KeywordTable<UrlBlock> KEYWORDS = new KeywordTable<UrlBlock>()
      .keyword("path", (b, d) -> {
        b.path = d.word();
        if (!b.path.startsWith("/")) {
          throw d.error(d.arg(0), "path must start with '/'");
        }
      })
      .keyword("status_code", UrlBlock::statusCode)
      .keyword("digest", (b, d) -> {
        String v = d.word().toLowerCase(Locale.ROOT);
        if (!v.matches("[0-9a-f]{64}|[0-9a-f]{32}")) {
          throw d.error(d.arg(0), "digest must be 32 hex digits (keepalived's MD5 of the body, as genhash prints it)"
              + " or 64 (its SHA-256)");
        }
        b.digest = v;
      });

  private String path = "/";
  private int minStatus = 200;
  private int maxStatus = 299;
  private final List<HttpCheck.StatusRange> moreStatuses = new ArrayList<>();
  /** 32 hex digits: MD5 (keepalived's); 64: SHA-256. */
  private @Nullable String digest;

  private UrlBlock() {}

  /** The check of {@code url} at {@code ip:port}, over TLS (certificates unchecked, as keepalived) if {@code tls}. */
  static HealthCheck read(Directive url, boolean tls, InetAddress ip, int port, @Nullable String host)
      throws ConfigException {
    UrlBlock b = new UrlBlock();
    KEYWORDS.read(url, 0, b);
    String hostText = ip instanceof Inet6Address ? "[" + ip.getHostAddress() + "]" : ip.getHostAddress();
    try {
      HttpCheck.Builder check = HttpCheck.get(new URI((tls ? "https" : "http") + "://" + hostText + ":" + port + b.path))
          .status(b.minStatus, b.maxStatus).insecureTls(tls);
      for (HttpCheck.StatusRange r : b.moreStatuses) {
        check.alsoStatus(r.min(), r.max());
      }
      if (host != null) {
        check.hostHeader(host);
      }
      String digest = b.digest;
      if (digest != null && digest.length() == 32) {
        check.md5(digest);
      } else if (digest != null) {
        check.sha256(digest);
      }
      return check.build();
    } catch (URISyntaxException | IllegalArgumentException e) {
      throw url.error("bad url: " + e.getMessage());
    }
  }

  /** {@code N} or {@code N-M}, one or more (keepalived.conf(5): any of them is accepted). */
  private void statusCode(Directive d) throws ConfigException {
    List<ConfigToken> values = d.statement().args();
    d.value();
    d.exactly(values.size());
    int[] first = range(values.get(0), d.words());
    minStatus = first[0];
    maxStatus = first[1];
    for (ConfigToken t : values.subList(1, values.size())) {
      int[] r = range(t, d.words());
      moreStatuses.add(new HttpCheck.StatusRange(r[0], r[1]));
    }
  }

  private static int[] range(ConfigToken t, ConfigWords words) throws ConfigException {
    String v = t.text();
    int dash = v.indexOf('-');
    if (dash > 0) {
      int min = words.integer(new ConfigToken(v.substring(0, dash), t.line(), t.column(), t.quoted(), t.secret()), 100, 599, "status_code");
      int max = words.integer(new ConfigToken(v.substring(dash + 1), t.line(), t.column() + dash + 1, t.quoted(), t.secret()), min, 599, "status_code");
      return new int[] {min, max};
    }
    int s = words.integer(t, 100, 599, "status_code");
    return new int[] {s, s};
  }
}
