package io.ha4j.vip.linux.internal;

import io.ha4j.api.Cancellable;
import io.ha4j.api.address.AddressException;
import io.ha4j.vip.AddressKernel;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The body of a claim-receiving thread: hands each frame of a {@link ClaimSocket} to the sink
 * until cancelled, then closes the socket. A receive error does not end it (the owner would stop
 * hearing conflicts for good): it is logged, the first at WARN, and the loop pauses a second.
 */
public final class ClaimLoop implements Runnable, Cancellable {

  private static final Logger LOG = LoggerFactory.getLogger(ClaimLoop.class);
  private static final long PAUSE_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final ClaimSocket socket;
  private final AddressKernel.FrameSink sink;
  private boolean warned;

  public ClaimLoop(ClaimSocket socket, AddressKernel.FrameSink sink) {
    this.socket = Objects.requireNonNull(socket, "socket");
    this.sink = Objects.requireNonNull(sink, "sink");
  }

  @Override
  public void run() {
    try {
      while (!socket.stopped()) {
        ClaimSocket.Received r;
        try {
          r = socket.receive();
        } catch (AddressException e) {
          if (!warned) {
            warned = true;
            LOG.warn("receiving ARP/neighbour advertisements failed ({}); trying again every second", e.getMessage());
          } else {
            LOG.debug("receiving ARP/neighbour advertisements failed: {}", e.getMessage());
          }
          LockSupport.parkNanos(PAUSE_NANOS);
          continue;
        }
        ByteBuffer frame = r.frame();
        if (frame != null) {
          try {
            sink.frame(r.index(), frame);
          } catch (RuntimeException e) {
            LOG.warn("claim handler failed", e);
          }
        }
      }
    } finally {
      socket.close();
    }
  }

  /** Stops the loop at the socket's next poll. */
  @Override
  public void cancel() {
    socket.stop();
  }
}
