package io.ha4j.core.health;

import io.ha4j.api.health.CheckContext;
import io.ha4j.api.health.CheckResult;
import io.ha4j.api.health.HealthCheck;
import io.ha4j.core.health.internal.Probes;
import java.net.URI;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Up when an HTTP or HTTPS GET of {@code uri} answers with a status in {@code [minStatus,
 * maxStatus]} and, where set, a body matching {@code bodyPattern} and hashing to {@code sha256} or
 * {@code md5}
 * (keepalived's {@code HTTP_GET} / {@code SSL_GET} with {@code status_code} and {@code digest},
 * ldirectord's {@code request} / {@code receive}).
 *
 * <p>Each check opens a new connection ({@code Connection: close}), as keepalived does, so a server
 * that stopped accepting connections cannot look healthy over a pooled one. Redirects are not
 * followed: a 3xx is judged as a status.
 *
 * <p>A {@code hostHeader} lets the check reach a real server by address while asking for a
 * virtual host. The JDK's HTTP client refuses the Host and Connection headers unless the system
 * property {@code jdk.httpclient.allowRestrictedHeaders} lists them; the engine adds both to that
 * property before it first uses the HTTP client. If the application used the JDK HTTP client
 * before, the property comes too late: checks then reuse connections, and a check with a Host
 * header fails with a detail saying so. Start the JVM with {@code
 * -Djdk.httpclient.allowRestrictedHeaders=host,connection} in that case.
 *
 * @param uri an absolute http or https URI naming the real server, e.g. {@code
 *     http://198.51.100.10:8080/health}
 * @param hostHeader the Host header to send instead of the URI's authority, or null
 * @param minStatus lowest accepted status, 100..599
 * @param maxStatus highest accepted status, minStatus..599
 * @param moreStatuses further accepted ranges, each {@code [min, max]} in 100..599 (keepalived's
 *     {@code status_code 200-299 400-499 503}); empty for none
 * @param bodyPattern a regular expression that must be found in the body (decoded as UTF-8), or
 *     null
 * @param sha256 the expected SHA-256 of the body as 64 lower-case hex digits, or null
 * @param md5 the expected MD5 of the body as 32 lower-case hex digits, or null (keepalived's {@code
 *     digest}, what {@code genhash} prints: a check that the page is the one expected, not a
 *     security measure); at most one of sha256 and md5
 * @param insecureTls accept any certificate and host name (a self-signed real server); the
 *     connection is still encrypted
 * @param maxBodyBytes how much of the body is read at most, 0 or more: without a pattern or a
 *     digest none is; a pattern is looked for in this prefix; a longer body has no digest (the
 *     check is down). The rest is not read: the connection closes. {@link #DEFAULT_MAX_BODY_BYTES}
 *     by default
 */
public record HttpCheck(
    URI uri,
    @Nullable String hostHeader,
    int minStatus,
    int maxStatus,
    List<StatusRange> moreStatuses,
    @Nullable Pattern bodyPattern,
    @Nullable String sha256,
    @Nullable String md5,
    boolean insecureTls,
    long maxBodyBytes)
    implements HealthCheck {

  /** How much of a body a check reads by default: a health page, not a download. */
  public static final long DEFAULT_MAX_BODY_BYTES = 64 * 1024;

  /** A check reading at most {@link #DEFAULT_MAX_BODY_BYTES} of the body. */
  public HttpCheck(URI uri, @Nullable String hostHeader, int minStatus, int maxStatus,
      @Nullable Pattern bodyPattern, @Nullable String sha256, boolean insecureTls) {
    this(uri, hostHeader, minStatus, maxStatus, List.of(), bodyPattern, sha256, null, insecureTls,
        DEFAULT_MAX_BODY_BYTES);
  }

  public HttpCheck {
    Objects.requireNonNull(uri, "uri");
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!uri.isAbsolute() || !(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
      throw new IllegalArgumentException("uri must be an absolute http or https URI with a host, was " + uri);
    }
    if (hostHeader != null && (hostHeader.isBlank() || hostHeader.chars().anyMatch(c -> c <= ' ' || c == 127))) {
      throw new IllegalArgumentException("hostHeader must be a non-empty token, was '" + hostHeader + "'");
    }
    if (minStatus < 100 || minStatus > 599) {
      throw new IllegalArgumentException("minStatus must be in 100..599, was " + minStatus);
    }
    if (maxStatus < minStatus || maxStatus > 599) {
      throw new IllegalArgumentException("maxStatus must be in " + minStatus + "..599, was " + maxStatus);
    }
    moreStatuses = List.copyOf(moreStatuses);
    if (maxBodyBytes < 0) {
      throw new IllegalArgumentException("maxBodyBytes must not be negative, was " + maxBodyBytes);
    }
    sha256 = hexDigest("sha256", sha256, 64);
    md5 = hexDigest("md5", md5, 32);
    if (sha256 != null && md5 != null) {
      throw new IllegalArgumentException("one digest: sha256 or md5, not both");
    }
  }

  private static @Nullable String hexDigest(String name, @Nullable String hex, int digits) {
    if (hex == null) {
      return null;
    }
    String lower = hex.toLowerCase(Locale.ROOT);
    if (lower.length() != digits || !lower.chars().allMatch(HexFormat::isHexDigit)) {
      throw new IllegalArgumentException(name + " must be " + digits + " hex digits, was '" + hex + "'");
    }
    return lower;
  }

  /**
   * Accepted statuses beyond {@code [minStatus, maxStatus]}.
   *
   * @param min lowest, 100..599
   * @param max highest, min..599
   */
  public record StatusRange(int min, int max) {
    public StatusRange {
      if (min < 100 || max > 599 || max < min) {
        throw new IllegalArgumentException("a status range is within 100..599, low to high, was " + min + ".." + max);
      }
    }

    @Override
    public String toString() {
      return min == max ? Integer.toString(min) : min + ".." + max;
    }
  }

  /** Whether {@code status} is accepted. */
  public boolean accepts(int status) {
    if (status >= minStatus && status <= maxStatus) {
      return true;
    }
    for (StatusRange r : moreStatuses) {
      if (status >= r.min() && status <= r.max()) {
        return true;
      }
    }
    return false;
  }

  /** The accepted statuses as text, e.g. {@code 200..299, 503}. */
  public String acceptedStatuses() {
    StringBuilder b = new StringBuilder(new StatusRange(minStatus, maxStatus).toString());
    moreStatuses.forEach(r -> b.append(", ").append(r));
    return b.toString();
  }

  /** The JDK name of the digest algorithm the body is checked with, or null without a digest. */
  public @Nullable String digestAlgorithm() {
    return sha256 != null ? "SHA-256" : md5 != null ? "MD5" : null;
  }

  /** The expected digest in lower-case hex, or null without one. */
  public @Nullable String expectedDigest() {
    return sha256 != null ? sha256 : md5;
  }

  /** A builder for a GET of {@code uri}, accepting any 2xx status. */
  public static Builder get(URI uri) {
    return new Builder(uri);
  }

  /** A builder for a GET of {@code uri}, accepting any 2xx status. */
  public static Builder get(String uri) {
    return new Builder(URI.create(uri));
  }

  @Override
  public CompletionStage<CheckResult> run(CheckContext context) {
    return Probes.of(context).http(this, context.timeout());
  }

  /** Builds an {@link HttpCheck}; unset options are not checked. */
  public static final class Builder {
    private final URI uri;
    private @Nullable String hostHeader;
    private int minStatus = 200;
    private int maxStatus = 299;
    private final List<StatusRange> moreStatuses = new ArrayList<>();
    private @Nullable Pattern bodyPattern;
    private @Nullable String sha256;
    private @Nullable String md5;
    private boolean insecureTls;
    private long maxBodyBytes = DEFAULT_MAX_BODY_BYTES;

    private Builder(URI uri) {
      this.uri = uri;
    }

    /** Sends this Host header (a virtual host) instead of the URI's authority. */
    public Builder hostHeader(String host) {
      this.hostHeader = host;
      return this;
    }

    /** Accepts only this status. */
    public Builder status(int status) {
      return status(status, status);
    }

    /** Accepts statuses in {@code [min, max]}. */
    public Builder status(int min, int max) {
      this.minStatus = min;
      this.maxStatus = max;
      return this;
    }

    /** Accepts statuses in {@code [min, max]} too, besides those of {@link #status(int, int)}. */
    public Builder alsoStatus(int min, int max) {
      moreStatuses.add(new StatusRange(min, max));
      return this;
    }

    /** Requires the body to contain a match of {@code regex}. */
    public Builder bodyMatches(String regex) {
      this.bodyPattern = Pattern.compile(regex);
      return this;
    }

    /** Requires the body's SHA-256 to be {@code hex} (keepalived's {@code digest}, but SHA-256). */
    public Builder sha256(String hex) {
      this.sha256 = hex;
      return this;
    }

    /** Requires the body's MD5 to be {@code hex}: keepalived's {@code digest} as its configurations have it. */
    public Builder md5(String hex) {
      this.md5 = hex;
      return this;
    }

    /** Accepts a self-signed or otherwise untrusted certificate and any host name. */
    public Builder insecureTls(boolean on) {
      this.insecureTls = on;
      return this;
    }

    /** Reads at most {@code bytes} of the body (see {@link HttpCheck#maxBodyBytes()}). */
    public Builder maxBodyBytes(long bytes) {
      this.maxBodyBytes = bytes;
      return this;
    }

    public HttpCheck build() {
      return new HttpCheck(uri, hostHeader, minStatus, maxStatus, moreStatuses, bodyPattern, sha256, md5, insecureTls, maxBodyBytes);
    }
  }
}
