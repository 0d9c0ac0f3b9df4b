package io.ha4j.api.transport;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Stream connections between members whose end the peer's kernel reports: the election's death
 * witness. When a member's process dies while its host stays up, its kernel closes the process's
 * connections at once and refuses new ones with a reset; a peer that holds a connection to it
 * learns of the death in milliseconds instead of after the Master_Down_Interval.
 *
 * <p>Implementations: TCP with a key on every segment (Linux, {@code TCP_MD5SIG}, so that a reset
 * or FIN injected by a middlebox or an attacker without the key never reaches the connection), and
 * the testkit's simulated network, where a crashed process and a crashed host are different faults.
 * Callbacks run on the transport's own thread; the election hands them to its scheduler.
 */
public interface WitnessTransport extends AutoCloseable {

  /**
   * Accepts connections at this member's witness endpoint; each accepted connection is handed to
   * {@code acceptor}, which must {@link WitnessConnection#attach attach} a handler to it.
   */
  void listen(Consumer<WitnessConnection> acceptor);

  /**
   * Opens a keyed connection to {@code peer}'s witness endpoint. {@code handler} hears of it: opened,
   * then messages, then exactly one close; or only the close when it could not be opened.
   */
  void connect(InetSocketAddress peer, WitnessConnection.Handler handler);

  /**
   * Asks {@code peer}'s kernel, with a fresh connection that carries no data, whether a process still
   * listens at its witness endpoint. The answer goes to {@code result} once, within {@code timeout}.
   */
  void probe(InetSocketAddress peer, Duration timeout, Consumer<ProbeResult> result);

  /**
   * Closes the listener and every connection (each handler hears {@link CloseReason#LOCAL}). Close
   * it only when the process ends, after the election's {@code stop()} said its goodbyes: a live
   * master whose endpoint refuses probes would be taken for dead by its backups.
   */
  @Override
  void close();

  /** What a {@link #probe} learned. */
  enum ProbeResult {
    /** The peer's kernel answered with a reset: nothing listens at the witness endpoint. */
    REFUSED,
    /** A process accepted the connection: the witness endpoint is alive. */
    ACCEPTED,
    /** No answer within the timeout (host gone, link cut, packets dropped): nothing is known. */
    TIMED_OUT,
    /** The local kernel could not send (no route, interface down): nothing is known. */
    UNREACHABLE
  }

  /** How a {@link WitnessConnection} ended. */
  enum CloseReason {
    /** The peer's end sent FIN: its process closed the socket or its kernel did so for a dead process. */
    END_OF_STREAM,
    /** The peer's end reset the connection (a dead process with unread data, or a closed port). */
    RESET,
    /** The connection could not be opened, or no longer carries segments (retransmission or keep-alive timeout). */
    TIMED_OUT,
    /** This member closed it ({@link WitnessConnection#close} or {@link WitnessTransport#close}). */
    LOCAL,
    /** The local kernel reported another error (no route, interface gone). */
    FAILED
  }

  /** One connection; messages keep their boundaries. */
  interface WitnessConnection {

    /** The other member's witness endpoint (for an accepted connection: its source address). */
    InetSocketAddress peer();

    /** For an accepted connection: the handler for its events, set once before any event. */
    void attach(Handler handler);

    /**
     * Queues {@code message} (from its position to its limit, at most 1024 bytes) for sending.
     * Best effort: a connection that cannot send ends with a close event.
     */
    void send(ByteBuffer message);

    /** Closes this end (the peer sees {@link CloseReason#END_OF_STREAM}); the handler hears {@link CloseReason#LOCAL}. */
    void close();

    /** Events of one connection, in order, on the transport's thread. */
    interface Handler {
      /** The connection is established. */
      void opened(WitnessConnection connection);

      /** A whole message arrived. */
      void received(WitnessConnection connection, ByteBuffer message);

      /** The connection ended, once; nothing follows. */
      void closed(WitnessConnection connection, CloseReason reason);
    }
  }
}
