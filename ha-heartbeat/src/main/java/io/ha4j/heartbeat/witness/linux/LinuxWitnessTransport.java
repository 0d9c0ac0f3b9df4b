package io.ha4j.heartbeat.witness.linux;

import static io.ha4j.heartbeat.linux.internal.NativeSockets.unavailability;

import com.sun.jna.LastErrorException;
import io.ha4j.api.Clock;
import io.ha4j.api.transport.WitnessTransport;
import io.ha4j.heartbeat.HeartbeatKey;
import io.ha4j.heartbeat.internal.ReceiveThread;
import io.ha4j.heartbeat.witness.linux.internal.WitnessLoop;
import io.ha4j.linux.Errno;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Collection;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * The death witness over TCP on Linux: a listener at this member's witness endpoint, keyed
 * connections to peers, and unkeyed probes, all on one thread that polls non-blocking sockets
 * opened through libc. Messages are framed by a two-byte length.
 *
 * <p>Every segment of a witness connection carries an RFC 2385 signature ({@code TCP_MD5SIG})
 * under a key derived from the heartbeat key ({@link #tcpMd5Key}): the listener holds the key for
 * each peer address (connections it accepts inherit it) and each connecting socket for its peer.
 * The kernel drops a FIN or reset without a valid signature, so a middlebox or an attacker without
 * the key cannot end a connection; only the peer's kernel can, which it does when the peer's
 * process dies. A keyed listener also drops a SYN that carries no signature: a {@link #probe}
 * (unkeyed, so that the dead peer's unsigned reset reaches it) of a live ha4j peer therefore
 * ends {@link ProbeResult#TIMED_OUT}, not {@link ProbeResult#ACCEPTED}; only {@link
 * ProbeResult#REFUSED} concludes anything.
 *
 * <p>The poll thread keeps its sockets in a descriptor table of its own ({@link
 * #sharedTableCause()}), and it runs no callback: acceptors, handlers and probe results are called,
 * in order, on a second thread of the transport, which must hand longer work on.
 */
public final class LinuxWitnessTransport implements WitnessTransport {

  /** Set to {@code true} to switch the native witness transport off. */
  public static final String DISABLE_PROPERTY = "io.ha4j.heartbeat.witness.noNative";

  private static final @Nullable Throwable UNAVAILABILITY_CAUSE = unavailability(DISABLE_PROPERTY);
  private static final byte[] KEY_LABEL = "ha4j witness tcp-md5".getBytes(StandardCharsets.US_ASCII);

  private final WitnessLoop loop;
  private final InetSocketAddress localAddress;
  private final ReceiveThread thread;
  private final ReceiveThread relay;
  private final @Nullable String sharedTableCause;
  private boolean closed;

  private LinuxWitnessTransport(WitnessLoop loop, InetSocketAddress localAddress) {
    this.loop = loop;
    this.localAddress = localAddress;
    this.thread = new ReceiveThread("ha4j-witness-" + localAddress);
    thread.start(false, loop);
    this.relay = new ReceiveThread("ha4j-witness-events-" + localAddress);
    relay.start(false, loop.relay());
    sharedTableCause = loop.awaitPrivateTable(Duration.ofSeconds(5));
  }

  /**
   * A transport listening at {@code listenAddress} (port 0 picks one) for {@code peers}, each
   * segment signed with {@code tcpMd5Key} ({@link #tcpMd5Key(HeartbeatKey)}); null only to show
   * what the key buys (tests): then an injected reset ends a connection.
   */
  public static LinuxWitnessTransport open(InetSocketAddress listenAddress, Collection<? extends InetAddress> peers,
      byte @Nullable [] tcpMd5Key, Clock clock) throws IOException {
    Objects.requireNonNull(listenAddress, "listenAddress");
    Objects.requireNonNull(clock, "clock");
    ensureAvailability();
    if (listenAddress.isUnresolved()) {
      throw new IOException("cannot listen at unresolved " + listenAddress);
    }
    WitnessLoop loop;
    try {
      loop = new WitnessLoop(clock, Set.copyOf(peers), tcpMd5Key);
    } catch (LastErrorException e) {
      throw new IOException("witness transport: no eventfd: " + Errno.describe(e.getErrorCode()), e);
    }
    try {
      return new LinuxWitnessTransport(loop, loop.bind(listenAddress));
    } catch (LastErrorException e) {
      loop.discard();
      throw new IOException("cannot listen for witness connections at " + listenAddress + ": "
          + Errno.describe(e.getErrorCode()), e);
    } catch (IllegalArgumentException e) {
      loop.discard();
      throw new IOException("cannot key witness connections: " + e.getMessage(), e);
    }
  }

  /** The RFC 2385 key for witness connections: HMAC-SHA256(heartbeat secret, "ha4j witness tcp-md5"). */
  public static byte[] tcpMd5Key(HeartbeatKey key) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.secret(), "HmacSHA256"));
      return mac.doFinal(KEY_LABEL);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }

  /** The address the listener is bound to. */
  public InetSocketAddress localAddress() {
    return localAddress;
  }

  /** Connections accepted from addresses that are not peers, closed at once. */
  public long strangers() {
    return loop.strangers();
  }

  /**
   * Probes the transport started by itself when a connection it opened ended from the peer's side:
   * the peer's kernel is asked as soon as the close is seen, and the election's probe, one relay
   * and one scheduler hop later, takes that answer if it is fresh.
   */
  public long earlyProbes() {
    return loop.earlyProbes();
  }

  /**
   * Probes of a closed loopback port that the poll thread made and had answered before it served,
   * so that a master's death runs linked code; -1 until it has started serving. 0 where loopback is
   * down.
   */
  public int rehearsedProbes() {
    return loop.rehearsedProbes();
  }

  /** Connections ended because their stream announced a message longer than 1024 bytes. */
  public long badStreams() {
    return loop.badStreams();
  }

  @Override
  public void listen(Consumer<WitnessConnection> acceptor) {
    loop.listen(Objects.requireNonNull(acceptor, "acceptor"));
  }

  @Override
  public void connect(InetSocketAddress peer, WitnessConnection.Handler handler) {
    loop.connect(Objects.requireNonNull(peer, "peer"), Objects.requireNonNull(handler, "handler"));
  }

  @Override
  public void probe(InetSocketAddress peer, Duration timeout, Consumer<ProbeResult> result) {
    loop.probe(Objects.requireNonNull(peer, "peer"), timeout, Objects.requireNonNull(result, "result"));
  }

  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    loop.stop();
    thread.join(1000);
    loop.relay().stop();
    relay.join(1000);
    loop.closeWake();
  }

  /**
   * Why the witness sockets share the process's descriptor table, or null when they are in the
   * poll thread's own table (the default on Linux): there a killed process's peers see the close
   * within a millisecond or so, where the shared table closes only after the kernel has freed the
   * JVM's memory. {@code -Dio.ha4j.heartbeat.witness.sharedDescriptors=true} keeps them shared.
   */
  public @Nullable String sharedTableCause() {
    return sharedTableCause;
  }

  @Override
  public String toString() {
    return "LinuxWitnessTransport[" + localAddress + "]";
  }

  /** Whether this transport can be used here (64-bit Linux, JNA and libc loadable). */
  public static boolean isAvailable() {
    return UNAVAILABILITY_CAUSE == null;
  }

  /** Why {@link #isAvailable()} is false, or {@code null}. */
  public static @Nullable Throwable unavailabilityCause() {
    return UNAVAILABILITY_CAUSE;
  }

  /** Throws {@link UnsupportedOperationException} with the cause when not available. */
  public static void ensureAvailability() {
    Throwable cause = UNAVAILABILITY_CAUSE;
    if (cause != null) {
      throw new UnsupportedOperationException("the native witness transport is not available: " + cause.getMessage(),
          cause);
    }
  }
}
