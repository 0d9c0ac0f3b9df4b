package io.ha4j.core.health.internal;

import io.ha4j.api.health.CheckResult;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread blocking in {@link Selector#select()} that runs every TCP connect and UDP exchange of
 * the engine. Channels are only touched on this thread; other threads hand it work through a queue,
 * so a check costs no thread and no lock.
 */
final class ChannelLoop implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ChannelLoop.class);
  // Shared: at ten thousand checks a second, formatting the address into each success shows up in
  // the garbage collector's work. The target's id says which server it was.
  private static final CheckResult CONNECTED = CheckResult.up("connected");

  private final Selector selector;
  private final Thread thread;
  private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  // Set while a wakeup is owed, so that a burst of submissions costs one wakeup syscall.
  private final AtomicBoolean wakeupPending = new AtomicBoolean();
  private final ByteBuffer receiveBuffer = ByteBuffer.allocateDirect(65536);
  private volatile boolean closed;

  ChannelLoop(String name) throws IOException {
    this.selector = Selector.open();
    this.thread = new Thread(this::loop, name);
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Connects to {@code address}; up once the handshake completes. Cancelling closes the socket.
   * Even the connect() call happens on this loop's thread, to keep the scheduler's thread (which
   * also runs heartbeats) free of system calls.
   */
  CompletableFuture<CheckResult> connect(InetSocketAddress address) {
    var op = new Connect(address);
    submit(op::start);
    op.result.whenComplete((r, e) -> {
      if (op.result.isCancelled()) {
        submit(op::close);
      }
    });
    return op.result;
  }

  /** Sends {@code payload} to {@code address}; up on a reply (equal to {@code expected} if set). */
  CompletableFuture<CheckResult> exchange(InetSocketAddress address, byte[] payload, byte @Nullable [] expected) {
    var op = new Exchange(address, payload, expected);
    submit(op::start);
    op.result.whenComplete((r, e) -> {
      if (op.result.isCancelled()) {
        submit(op::close);
      }
    });
    return op.result;
  }

  private void submit(Runnable task) {
    if (closed) {
      throw new IllegalStateException("health engine I/O loop is closed");
    }
    tasks.add(task);
    if (wakeupPending.compareAndSet(false, true)) {
      selector.wakeup();
    }
  }

  private void loop() {
    try {
      while (!closed) {
        selector.select();
        wakeupPending.set(false);
        Runnable task;
        while ((task = tasks.poll()) != null) {
          task.run();
        }
        var selected = selector.selectedKeys();
        for (SelectionKey key : selected) {
          Object attachment = key.attachment();
          if (attachment instanceof Op op && key.isValid()) {
            op.ready();
          }
        }
        selected.clear();
      }
    } catch (IOException | ClosedSelectorException e) {
      if (!closed) {
        LOG.error("health check I/O loop failed; TCP and UDP checks will time out", e);
      }
    } catch (RuntimeException | Error e) {
      LOG.error("health check I/O loop failed; TCP and UDP checks will time out", e);
    } finally {
      for (SelectionKey key : selector.keys()) {
        if (key.attachment() instanceof Op op) {
          op.result.complete(CheckResult.down("health engine closed"));
          op.close();
        }
      }
      try {
        selector.close();
      } catch (IOException e) {
        LOG.debug("closing selector", e);
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    selector.wakeup();
    if (Thread.currentThread() != thread) {
      try {
        thread.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  static String describe(Throwable e) {
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + m;
  }

  private abstract static class Op {
    final CompletableFuture<CheckResult> result = new CompletableFuture<>();
    @Nullable SelectableChannel channel;

    abstract void ready();

    void finish(CheckResult r) {
      close();
      result.complete(r);
    }

    void close() {
      SelectableChannel c = channel;
      if (c != null) {
        try {
          c.close();
        } catch (IOException e) {
          LOG.trace("closing check channel", e);
        }
      }
    }
  }

  private final class Connect extends Op {
    private final InetSocketAddress address;

    Connect(InetSocketAddress address) {
      this.address = address;
    }

    void start() {
      if (result.isDone()) {
        return;
      }
      try {
        SocketChannel ch = SocketChannel.open();
        channel = ch;
        ch.configureBlocking(false);
        // A reset instead of FIN: thousands of checks a second would otherwise pile up TIME_WAIT.
        ch.setOption(StandardSocketOptions.SO_LINGER, 0);
        // On loopback and fast LANs the handshake is often done by the time connect() returns:
        // asking once more saves the selector registration and its wakeup.
        if (ch.connect(address) || ch.finishConnect()) {
          finish(CONNECTED);
        } else {
          ch.register(selector, SelectionKey.OP_CONNECT, this);
        }
      } catch (IOException | RuntimeException e) {
        finish(CheckResult.down("connect to " + address + ": " + describe(e)));
      }
    }

    @Override
    void ready() {
      try {
        ((SocketChannel) java.util.Objects.requireNonNull(channel)).finishConnect();
        finish(CONNECTED);
      } catch (IOException e) {
        finish(CheckResult.down("connect to " + address + ": " + describe(e)));
      }
    }
  }

  private final class Exchange extends Op {
    private final InetSocketAddress address;
    private final byte[] payload;
    private final byte @Nullable [] expected;

    Exchange(InetSocketAddress address, byte[] payload, byte @Nullable [] expected) {
      this.address = address;
      this.payload = payload;
      this.expected = expected;
    }

    void start() {
      if (result.isDone()) {
        return;
      }
      try {
        DatagramChannel ch = DatagramChannel.open();
        channel = ch;
        ch.configureBlocking(false);
        // Connected, so that the kernel reports an ICMP port unreachable to us as an exception.
        ch.connect(address);
        ch.write(ByteBuffer.wrap(payload));
        ch.register(selector, SelectionKey.OP_READ, this);
      } catch (PortUnreachableException e) {
        finish(CheckResult.down("udp " + address + ": port unreachable"));
      } catch (IOException | RuntimeException e) {
        finish(CheckResult.down("udp " + address + ": " + describe(e)));
      }
    }

    @Override
    void ready() {
      try {
        receiveBuffer.clear();
        int n = ((DatagramChannel) java.util.Objects.requireNonNull(channel)).read(receiveBuffer);
        if (n < 0) {
          return;
        }
        byte[] reply = new byte[n];
        receiveBuffer.flip().get(reply);
        if (expected == null || Arrays.equals(expected, reply)) {
          finish(CheckResult.up("udp " + address + ": " + n + "-byte reply"));
        } else {
          finish(CheckResult.down("udp " + address + ": unexpected reply " + HexFormat.of().formatHex(reply, 0, Math.min(n, 32))));
        }
      } catch (PortUnreachableException e) {
        finish(CheckResult.down("udp " + address + ": port unreachable"));
      } catch (IOException e) {
        finish(CheckResult.down("udp " + address + ": " + describe(e)));
      }
    }
  }
}
