package io.ha4j.core.health;

import io.ha4j.api.health.CheckResult;
import io.ha4j.api.health.CheckSettings;
import io.ha4j.api.health.HealthState;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.ha4j.core.time.SystemScheduler;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTP and HTTPS GET checks against JDK HTTP servers on loopback (keepalived HTTP_GET / SSL_GET
 * with status_code and digest; ldirectord request/receive).
 */
class HttpCheckTest {

  static final String HEALTHY = "status: healthy\n";
  static final List<Integer> CLIENT_PORTS = new java.util.concurrent.CopyOnWriteArrayList<>();
  static final CountDownLatch RELEASE_SLOW = new CountDownLatch(1);
  static ExecutorService serverThreads;
  static HttpServer http;
  static HttpsServer https;

  @TempDir static Path dir;

  private final SystemScheduler scheduler = new SystemScheduler("http-test");
  private final HealthEngine engine = new HealthEngine(scheduler, new Random(3));

  @BeforeAll
  static void startServers() throws Exception {
    serverThreads = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "http-test-server");
      t.setDaemon(true);
      return t;
    });
    var loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    http = HttpServer.create(loopback, 50);
    routes(http);
    http.setExecutor(serverThreads);
    http.start();
    https = HttpsServer.create(loopback, 50);
    https.setHttpsConfigurator(new HttpsConfigurator(selfSigned()));
    routes(https);
    https.setExecutor(serverThreads);
    https.start();
  }

  @AfterAll
  static void stopServers() {
    RELEASE_SLOW.countDown();
    http.stop(0);
    https.stop(0);
    serverThreads.shutdownNow();
  }

  @AfterEach
  void close() {
    engine.close();
    scheduler.close();
  }

  private static void routes(HttpServer server) {
    server.createContext("/ok", ex -> reply(ex, 200, HEALTHY));
    server.createContext("/port", ex -> {
      CLIENT_PORTS.add(ex.getRemoteAddress().getPort());
      reply(ex, 200, HEALTHY);
    });
    server.createContext("/fail", ex -> reply(ex, 503, "maintenance\n"));
    server.createContext("/huge", HttpCheckTest::huge);
    server.createContext("/host", ex -> reply(ex, 200, "host=" + ex.getRequestHeaders().getFirst("Host") + "\n"));
    server.createContext("/slow", ex -> {
      try {
        RELEASE_SLOW.await(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      reply(ex, 200, HEALTHY);
    });
  }

  /** The most bytes of /huge's body a server thread wrote for one request, and requests not done yet. */
  static final java.util.concurrent.atomic.AtomicLong HUGE_WRITTEN = new java.util.concurrent.atomic.AtomicLong();
  static final java.util.concurrent.atomic.AtomicInteger HUGE_RUNNING = new java.util.concurrent.atomic.AtomicInteger();
  static final int HUGE_BYTES = 64 << 20;

  /** A healthy page followed by 64 MiB (a misrouted download, or a page that never ends), chunked. */
  private static void huge(HttpExchange ex) throws IOException {
    HUGE_RUNNING.incrementAndGet();
    long written = 0;
    try {
      ex.sendResponseHeaders(200, 0);
      try (var out = ex.getResponseBody()) {
        out.write(HEALTHY.getBytes(StandardCharsets.UTF_8));
        byte[] filler = new byte[64 << 10];
        java.util.Arrays.fill(filler, (byte) 'x');
        while (written < HUGE_BYTES) {
          out.write(filler);
          written += filler.length;
        }
      }
    } catch (IOException e) {
      // the check closed the connection once it had read enough
    } finally {
      HUGE_WRITTEN.accumulateAndGet(written, Math::max);
      HUGE_RUNNING.decrementAndGet();
    }
  }

  private static void reply(HttpExchange ex, int status, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(status, b.length);
    try (var out = ex.getResponseBody()) {
      out.write(b);
    }
  }

  /** A key pair and self-signed certificate made by keytool for this run only. */
  private static SSLContext selfSigned() throws Exception {
    Path store = dir.resolve("real-server.p12");
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    Process p = new ProcessBuilder(keytool, "-genkeypair", "-alias", "rs", "-keyalg", "EC", "-groupname", "secp256r1",
        "-dname", "CN=real-server.test", "-ext", "SAN=dns:real-server.test", "-validity", "2",
        "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", "changeit")
        .redirectErrorStream(true).start();
    String out;
    try (InputStream in = p.getInputStream()) {
      out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "keytool failed: " + out);
    assertTrue(Files.size(store) > 0);
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (var in = new FileInputStream(store.toFile())) {
      ks.load(in, "changeit".toCharArray());
    }
    var kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, "changeit".toCharArray());
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), null, null);
    return ctx;
  }

  private static String url(String path) {
    return "http://127.0.0.1:" + http.getAddress().getPort() + path;
  }

  private CheckResult settle(HttpCheck check) {
    return settle(check, Duration.ofSeconds(10));
  }

  private CheckResult settle(HttpCheck check, Duration timeout) {
    String id = "rs-" + engine.targets().size();
    engine.register(id, check, CheckSettings.of(Duration.ofMillis(100), timeout).withWarmupJitter(false));
    Await.until(id + " decided", () -> engine.state(id) != HealthState.UNKNOWN);
    return engine.lastResult(id).orElseThrow();
  }

  /** keepalived.conf.status_code: {@code status_code 200-299 400-499 503 505}, any of the ranges. */
  @Test
  void furtherStatusRangesAreAccepted() {
    assertTrue(settle(HttpCheck.get(url("/fail")).alsoStatus(400, 499).alsoStatus(503, 503).build()).up());
    var r = settle(HttpCheck.get(url("/fail")).alsoStatus(400, 499).alsoStatus(505, 505).build());
    assertEquals(false, r.up());
    assertTrue(r.detail().contains("status 503 not in 200..299, 400..499, 505"), r.detail());
    assertThrows(IllegalArgumentException.class, () -> HttpCheck.get(url("/")).alsoStatus(500, 499));
  }

  @Test
  void twoHundredIsUp() {
    var r = settle(HttpCheck.get(url("/ok")).build());
    assertTrue(r.up(), r.detail());
  }

  @Test
  void statusOutsideTheRangeIsDown() {
    var r = settle(HttpCheck.get(url("/fail")).build());
    assertEquals(false, r.up());
    assertTrue(r.detail().contains("status 503 not in 200..299"), r.detail());
  }

  @Test
  void expectedStatusRangeIsHonoured() {
    // keepalived status_code accepts ranges, e.g. a sorry page that answers 503 on purpose.
    var r = settle(HttpCheck.get(url("/fail")).status(500, 599).build());
    assertTrue(r.up(), r.detail());
  }

  @Test
  void bodyRegexMustMatch() {
    assertTrue(settle(HttpCheck.get(url("/ok")).bodyMatches("status: (healthy|ok)").build()).up());
    var r = settle(HttpCheck.get(url("/ok")).bodyMatches("status: ok").build());
    assertEquals(false, r.up());
    assertTrue(r.detail().contains("does not match"), r.detail());
  }

  @Test
  void bodyDigestMustMatch() throws Exception {
    String right = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(HEALTHY.getBytes(StandardCharsets.UTF_8)));
    assertTrue(settle(HttpCheck.get(url("/ok")).sha256(right.toUpperCase(java.util.Locale.ROOT)).build()).up());
    String wrong = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest("other".getBytes(StandardCharsets.UTF_8)));
    var r = settle(HttpCheck.get(url("/ok")).sha256(wrong).build());
    assertEquals(false, r.up());
    assertTrue(r.detail().contains("sha256 " + right + " != " + wrong), r.detail());
  }

  /** keepalived's digest is the MD5 of the page (what its genhash prints); its samples carry 32 hex digits. */
  @Test
  void keepalivedsMd5DigestMustMatch() throws Exception {
    String right = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(HEALTHY.getBytes(StandardCharsets.UTF_8)));
    assertTrue(settle(HttpCheck.get(url("/ok")).md5(right).build()).up());
    String wrong = "640205b7b0fc66c1ea91c463fac6334d";
    var r = settle(HttpCheck.get(url("/ok")).md5(wrong).build());
    assertEquals(false, r.up());
    assertTrue(r.detail().contains("md5 " + right + " != " + wrong), r.detail());
    assertThrows(IllegalArgumentException.class, () -> HttpCheck.get(url("/ok")).md5(right).sha256("00".repeat(32)).build());
    assertThrows(IllegalArgumentException.class, () -> HttpCheck.get(url("/ok")).md5("00".repeat(32)).build());
  }

  /** Settles {@code check} on /huge once, then waits for the server to stop writing. */
  private CheckResult settleHuge(HttpCheck check) {
    HUGE_WRITTEN.set(0);
    String id = "rs-" + engine.targets().size();
    var r = settle(check);
    engine.unregister(id);
    Await.until("the /huge handlers are done", () -> HUGE_RUNNING.get() == 0);
    return r;
  }

  @Test
  void aHugeBodyIsReadOnlyAsFarAsTheCheckNeeds() {
    // issue 16 item 9: a bounded prefix of the body, never the whole body into the heap
    var status = settleHuge(HttpCheck.get(url("/huge")).build());
    assertTrue(status.up(), status.detail());
    assertReadLittle();
    var pattern = settleHuge(HttpCheck.get(url("/huge")).bodyMatches("status: healthy").build());
    assertTrue(pattern.up(), pattern.detail());
    assertReadLittle();
    var digest = settleHuge(HttpCheck.get(url("/huge")).sha256("00".repeat(32)).maxBodyBytes(1024).build());
    assertReadLittle();
    assertEquals(false, digest.up());
    assertTrue(digest.detail().contains("body longer than 1024 bytes"), digest.detail());
  }

  /** What the server got into the sockets' buffers before the check closed: far from 64 MiB. */
  private static void assertReadLittle() {
    long written = HUGE_WRITTEN.get();
    assertTrue(written < HUGE_BYTES / 4, "the server wrote " + written + " of " + HUGE_BYTES + " bytes");
  }

  @Test
  void aPatternBeyondTheCapIsNotFound() {
    var r = settle(HttpCheck.get(url("/ok")).bodyMatches("healthy").maxBodyBytes(4).build());
    assertEquals(false, r.up());
    assertTrue(r.detail().contains("in its first 4 bytes"), r.detail());
  }

  @Test
  void hostHeaderReachesTheServer() {
    var r = settle(HttpCheck.get(url("/host")).hostHeader("www.example.test").bodyMatches("host=www\\.example\\.test\\b").build());
    assertTrue(r.up(), r.detail());
  }

  @Test
  void everyCheckOpensANewConnection() {
    // keepalived's HTTP_GET connects afresh each time: a server that stopped accepting new
    // connections must not stay up over a pooled one.
    engine.register("rs", HttpCheck.get(url("/port")).build(),
        CheckSettings.of(Duration.ofMillis(20), Duration.ofSeconds(10)).withWarmupJitter(false));
    Await.until("4 requests", () -> CLIENT_PORTS.size() >= 4);
    var ports = List.copyOf(CLIENT_PORTS);
    assertEquals(ports.size(), new java.util.HashSet<>(ports).size(), "client ports " + ports);
  }

  @Test
  void refusedIsDown() throws Exception {
    int port;
    try (var s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    var r = settle(HttpCheck.get("http://127.0.0.1:" + port + "/").build());
    assertEquals(false, r.up());
    assertTrue(r.detail().contains("ConnectException"), r.detail());
  }

  @Test
  void slowServerTimesOut() {
    var r = settle(HttpCheck.get(url("/slow")).build(), Duration.ofMillis(300));
    assertEquals(false, r.up());
    assertTrue(r.detail().contains("timed out") || r.detail().contains("HttpTimeoutException"), r.detail());
  }

  @Test
  void selfSignedServerIsUpOnlyWithInsecureTls() {
    String url = "https://127.0.0.1:" + https.getAddress().getPort() + "/ok";
    var insecure = settle(HttpCheck.get(url).insecureTls(true).build());
    assertTrue(insecure.up(), insecure.detail());
    var verifying = settle(HttpCheck.get(url).build());
    assertEquals(false, verifying.up());
    assertTrue(verifying.detail().contains("SSLHandshakeException"), verifying.detail());
  }

  @Test
  void badSettingsNameTheField() {
    var e = assertThrows(IllegalArgumentException.class, () -> HttpCheck.get("ftp://198.51.100.1/").build());
    assertTrue(e.getMessage().contains("uri") && e.getMessage().contains("ftp://198.51.100.1/"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> HttpCheck.get(url("/")).status(300, 200).build());
    assertTrue(e.getMessage().contains("maxStatus") && e.getMessage().contains("200"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> HttpCheck.get(url("/")).sha256("abc").build());
    assertTrue(e.getMessage().contains("sha256") && e.getMessage().contains("abc"), e.getMessage());
  }
}
