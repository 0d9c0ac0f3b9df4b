package io.ha4j.heartbeat.witness.linux.internal;

import java.util.concurrent.LinkedBlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the witness transport's callbacks and log lines, in order, on a thread that shares the
 * process's descriptor table: the poll thread has a table of its own ({@link PrivateDescriptors}),
 * where a descriptor number the application or a logging back end holds means nothing, or one of
 * the witness sockets. The queue parks and unparks, which needs no descriptor.
 */
public final class Relay implements Runnable {

  private static final Logger LOG = LoggerFactory.getLogger(Relay.class);
  private static final Runnable STOP = () -> { };

  private final LinkedBlockingQueue<Runnable> queue = new LinkedBlockingQueue<>();

  /** Runs {@code task} on the relay's thread after everything handed over before it. */
  void execute(Runnable task) {
    queue.add(task);
  }

  /** Ends the relay's thread once everything handed over before runs. */
  public void stop() {
    queue.add(STOP);
  }

  @Override
  public void run() {
    while (true) {
      Runnable task;
      try {
        task = queue.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (task == STOP) {
        return;
      }
      try {
        task.run();
      } catch (RuntimeException e) {
        LOG.error("witness transport: a callback failed", e);
      }
    }
  }
}
