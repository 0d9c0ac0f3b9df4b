package io.ha4j.heartbeat.witness.linux.internal;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import io.ha4j.api.transport.WitnessTransport.CloseReason;
import io.ha4j.api.transport.WitnessTransport.WitnessConnection;
import io.ha4j.linux.Errno;
import io.ha4j.linux.internal.Libc;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One witness connection on the transport's thread: its descriptor, the messages waiting to be
 * written, the frames being read, and its one close. Calls from other threads ({@link #send},
 * {@link #close}) are handed to the transport's thread.
 */
final class StreamConnection implements WitnessConnection {

  private static final Logger LOG = LoggerFactory.getLogger(StreamConnection.class);
  /** Queued bytes beyond which a peer that does not read is given up on. */
  private static final int MAX_QUEUED = 64 * 1024;

  private final WitnessLoop loop;
  private final int fd;
  private final InetSocketAddress peer;
  private final Frames frames = new Frames();
  private final ArrayDeque<ByteBuffer> out = new ArrayDeque<>();
  private int queued;
  private volatile @Nullable Handler handler;
  private boolean connecting;
  /** Opened by this side (a watch of the peer), not accepted. */
  private final boolean outgoing;
  private final long connectDeadline;
  private volatile boolean ended;
  private boolean pending;

  StreamConnection(WitnessLoop loop, int fd, InetSocketAddress peer, @Nullable Handler handler, boolean connecting,
      long connectDeadline) {
    this.loop = loop;
    this.fd = fd;
    this.peer = peer;
    this.handler = handler;
    this.connecting = connecting;
    this.outgoing = connecting;
    this.connectDeadline = connectDeadline;
  }

  int fd() {
    return fd;
  }

  boolean connecting() {
    return connecting;
  }

  long connectDeadline() {
    return connectDeadline;
  }

  boolean ended() {
    return ended;
  }

  /** Accepted, waiting for the acceptor: not polled yet. */
  void pend() {
    pending = true;
  }

  boolean pending() {
    return pending;
  }

  /** The acceptor attached a handler: polled from now on. */
  void adopt() {
    pending = false;
  }

  /** Nobody took the accepted connection: reset it, without a callback. */
  void abandon() {
    ended = true;
    loop.forget(this);
    TcpSockets.abort(fd);
  }

  boolean hasHandler() {
    return handler != null;
  }

  @Override
  public InetSocketAddress peer() {
    return peer;
  }

  @Override
  public void attach(Handler h) {
    Objects.requireNonNull(h, "handler");
    if (handler != null) {
      throw new IllegalStateException("a handler is attached already to the witness connection from " + peer);
    }
    handler = h;
  }

  @Override
  public void send(ByteBuffer message) {
    byte[] wire = Frames.encode(message);
    loop.submit(() -> queue(wire));
  }

  @Override
  public void close() {
    loop.submit(() -> end(CloseReason.LOCAL));
  }

  /** The poll events this connection waits for. */
  short events() {
    if (connecting) {
      return Libc.POLLOUT;
    }
    return (short) (Libc.POLLIN | (out.isEmpty() ? 0 : Libc.POLLOUT));
  }

  /** Reports the connection open (for an accepted one, once its handler is attached). */
  void opened() {
    Handler h = handler;
    if (h != null && !ended) {
      notify(() -> h.opened(this));
    }
  }

  /** Handles poll's {@code revents}; {@code io} is the transport thread's buffer. */
  void ready(short revents, Memory io) {
    if (ended) {
      return;
    }
    if (connecting) {
      int error = TcpSockets.pendingError(fd);
      if (error != 0) {
        end(reasonFor(error));
        return;
      }
      if ((revents & (Libc.POLLOUT | Libc.POLLERR | Libc.POLLHUP)) == 0) {
        return;
      }
      connecting = false;
      opened();
      flush(io);
      return;
    }
    if ((revents & (Libc.POLLIN | Libc.POLLERR | Libc.POLLHUP)) != 0) {
      read(io);
    }
    if (!ended && (revents & Libc.POLLOUT) != 0) {
      flush(io);
    }
  }

  private void read(Memory io) {
    while (!ended) {
      long n;
      try {
        n = Libc.INSTANCE.recv(fd, io, io.size(), 0);
      } catch (LastErrorException e) {
        if (!Errno.EAGAIN.is(e.getErrorCode()) && !Errno.EINTR.is(e.getErrorCode())) {
          end(reasonFor(e.getErrorCode()));
        }
        return;
      }
      if (n == 0) {
        end(CloseReason.END_OF_STREAM);
        return;
      }
      Handler h = handler;
      boolean whole = frames.feed(io.getByteBuffer(0, n), message -> {
        if (h != null && !ended) {
          notify(() -> h.received(this, message));
        }
      });
      if (!whole) {
        loop.countBadStream();
        loop.relay(() -> LOG.warn("witness connection {}: a message longer than {} bytes, ending the connection",
            peer, Frames.MAX_MESSAGE));
        end(CloseReason.FAILED);
        return;
      }
    }
  }

  private void queue(byte[] wire) {
    if (ended) {
      return;
    }
    if (queued + wire.length > MAX_QUEUED) {
      int unsent = queued;
      loop.relay(() -> LOG.warn("witness connection {}: {} bytes unsent, the peer does not read; ending the connection",
          peer, unsent));
      end(CloseReason.FAILED);
      return;
    }
    out.add(ByteBuffer.wrap(wire));
    queued += wire.length;
    if (!connecting) {
      flush(loop.io());
    }
  }

  private void flush(Memory io) {
    while (!ended && !out.isEmpty()) {
      ByteBuffer head = out.peek();
      int length = head.remaining();
      io.write(0, head.array(), head.arrayOffset() + head.position(), length);
      long n;
      try {
        n = Libc.INSTANCE.send(fd, io, length, Libc.MSG_NOSIGNAL);
      } catch (LastErrorException e) {
        if (!Errno.EAGAIN.is(e.getErrorCode()) && !Errno.EINTR.is(e.getErrorCode())) {
          end(reasonFor(e.getErrorCode()));
        }
        return;
      }
      head.position(head.position() + (int) n);
      queued -= (int) n;
      if (head.hasRemaining()) {
        return;
      }
      out.poll();
    }
  }

  /** Ends the connection once: closes the descriptor and tells the handler why. */
  void end(CloseReason reason) {
    if (ended) {
      return;
    }
    ended = true;
    TcpSockets.close(fd);
    loop.forget(this);
    if (outgoing && !connecting && (reason == CloseReason.RESET || reason == CloseReason.END_OF_STREAM)) {
      loop.probeEarly(peer);
    }
    Handler h = handler;
    loop.relay(() -> LOG.debug("witness connection {} closed: {}", peer, reason));
    if (h != null) {
      notify(() -> h.closed(this, reason));
    }
  }

  /** Runs a handler's callback on the relay, after those before it. */
  private void notify(Runnable event) {
    loop.relay(() -> {
      try {
        event.run();
      } catch (RuntimeException e) {
        LOG.error("witness connection {}: the handler failed", peer, e);
      }
    });
  }

  /** The close reason for an errno the kernel reported on a witness connection. */
  static CloseReason reasonFor(int errno) {
    if (Errno.ECONNRESET.is(errno) || Errno.EPIPE.is(errno) || Errno.ECONNREFUSED.is(errno)) {
      return CloseReason.RESET;
    }
    if (Errno.ETIMEDOUT.is(errno)) {
      return CloseReason.TIMED_OUT;
    }
    return CloseReason.FAILED;
  }

  @Override
  public String toString() {
    return "WitnessConnection[" + peer + "]";
  }
}
