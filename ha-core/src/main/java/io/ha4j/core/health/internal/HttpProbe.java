package io.ha4j.core.health.internal;

import io.ha4j.api.health.CheckResult;
import io.ha4j.core.health.HttpCheck;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.jspecify.annotations.Nullable;

/**
 * HTTP(S) GETs through the JDK's asynchronous HTTP client: one client that verifies certificates
 * and one that accepts any, both on the engine's small worker executor.
 */
final class HttpProbe {

  static final String RESTRICTED_HEADERS = "jdk.httpclient.allowRestrictedHeaders";

  static {
    // The JDK reads this once, when its HTTP client classes load; see HttpCheck's Javadoc.
    String allowed = System.getProperty(RESTRICTED_HEADERS);
    String wanted = allowed == null || allowed.isBlank() ? "" : allowed;
    for (String header : new String[] {"host", "connection"}) {
      if (!wanted.toLowerCase(java.util.Locale.ROOT).contains(header)) {
        wanted = wanted.isEmpty() ? header : wanted + "," + header;
      }
    }
    System.setProperty(RESTRICTED_HEADERS, wanted);
  }

  /**
   * Whether requests may say {@code Connection: close}. Like keepalived, each check should open a
   * new connection: a server that stopped accepting must not look healthy over an old pooled one.
   * If the JDK HTTP client was loaded before us and refuses the header, checks reuse connections.
   */
  private static final boolean CLOSE_CONNECTIONS = allows("Connection", "close");

  private static boolean allows(String header, String value) {
    try {
      HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1/")).header(header, value);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private final HttpClient verifying;
  private final HttpClient insecure;

  HttpProbe(Executor executor) {
    this.verifying = base(executor).build();
    this.insecure = base(executor).sslContext(trustAll()).build();
  }

  private static HttpClient.Builder base(Executor executor) {
    // HTTP/1.1 only: a real server's health page is not the place to negotiate h2c upgrades, and
    // redirects are reported as their status, as keepalived does.
    return HttpClient.newBuilder()
        .executor(executor)
        .version(HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.NEVER);
  }

  CompletableFuture<CheckResult> get(HttpCheck check, Duration timeout) {
    HttpRequest request;
    try {
      var b = HttpRequest.newBuilder(check.uri()).timeout(timeout).GET();
      if (CLOSE_CONNECTIONS) {
        b.header("Connection", "close");
      }
      if (check.hostHeader() != null) {
        b.header("Host", check.hostHeader());
      }
      request = b.build();
    } catch (IllegalArgumentException e) {
      return CompletableFuture.completedFuture(CheckResult.down(
          "GET " + check.uri() + " refused by the JDK HTTP client: " + e.getMessage()
              + " (start the JVM with -D" + RESTRICTED_HEADERS + "=host,connection)"));
    }
    HttpClient client = check.insecureTls() ? insecure : verifying;
    CompletableFuture<HttpResponse<BodyPrefix.Read>> exchange = client.sendAsync(request,
        BodyPrefix.handler(check.maxBodyBytes(), check.bodyPattern() != null, check.digestAlgorithm()));
    CompletableFuture<CheckResult> result =
        exchange.handle((response, e) -> e != null
            ? CheckResult.down("GET " + check.uri() + ": " + ChannelLoop.describe(unwrap(e)))
            : evaluate(check, response));
    result.whenComplete((r, e) -> {
      if (result.isCancelled()) {
        exchange.cancel(true);
      }
    });
    return result;
  }

  static CheckResult evaluate(HttpCheck check, HttpResponse<BodyPrefix.Read> response) {
    String what = "GET " + check.uri();
    int status = response.statusCode();
    if (!check.accepts(status)) {
      return CheckResult.down(what + ": status " + status + " not in " + check.acceptedStatuses());
    }
    BodyPrefix.Read body = response.body();
    var pattern = check.bodyPattern();
    if (pattern != null && !pattern.matcher(new String(body.kept(), StandardCharsets.UTF_8)).find()) {
      return CheckResult.down(what + ": status " + status + ", body does not match /" + pattern.pattern() + "/"
          + (body.truncated() ? " in its first " + check.maxBodyBytes() + " bytes" : ""));
    }
    String expected = check.expectedDigest();
    if (expected != null) {
      String actual = body.digest();
      if (actual == null) {
        return CheckResult.down(what + ": status " + status + ", body longer than " + check.maxBodyBytes()
            + " bytes: no digest (raise maxBodyBytes)");
      }
      if (!actual.equals(expected)) {
        return CheckResult.down(what + ": status " + status + ", body " + (check.sha256() != null ? "sha256 " : "md5 ")
            + actual + " != " + expected);
      }
    }
    return CheckResult.up(what + ": status " + status);
  }

  private static Throwable unwrap(Throwable e) {
    Throwable t = e;
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  private static SSLContext trustAll() {
    try {
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, new TrustManager[] {new AnyCertificate()}, null);
      return ctx;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot set up TLS for insecure health checks", e);
    }
  }

  /**
   * Accepts every server certificate. Host-name verification lives in the JDK's own extended trust
   * manager, so replacing it also turns that off, which a self-signed real server needs.
   */
  private static final class AnyCertificate extends X509ExtendedTrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, @Nullable Socket socket) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, @Nullable Socket socket) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, @Nullable SSLEngine engine) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, @Nullable SSLEngine engine) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
