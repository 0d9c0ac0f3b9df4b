package io.ha4j.heartbeat.internal;

import org.jspecify.annotations.Nullable;

/** The one receive thread of a transport: started once, a daemon, joined when the transport closes. */
public final class ReceiveThread {

  private final String name;
  private @Nullable Thread thread;

  /** A receive thread that will be called {@code name}. */
  public ReceiveThread(String name) {
    this.name = name;
  }

  /** Starts {@code loop}; fails if started before or if the transport is {@code closed}. */
  public synchronized void start(boolean closed, Runnable loop) {
    if (thread != null) {
      throw new IllegalStateException("already started");
    }
    if (closed) {
      throw new IllegalStateException("closed");
    }
    Thread t = new Thread(loop, name);
    t.setDaemon(true);
    thread = t;
    t.start();
  }

  /** Waits up to {@code millis} for the loop to end (not when called from the loop itself). */
  public void join(long millis) {
    Thread t;
    synchronized (this) {
      t = thread;
    }
    if (t != null && t != Thread.currentThread()) {
      try {
        t.join(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
