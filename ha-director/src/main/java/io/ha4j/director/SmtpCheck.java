package io.ha4j.director;

import io.ha4j.api.health.CheckContext;
import io.ha4j.api.health.CheckResult;
import io.ha4j.api.health.HealthCheck;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * keepalived's SMTP_CHECK: up when the server greets with 220 (RFC 5321 section 4.2), answers
 * {@code HELO heloName} with 250 and QUIT with 221, as keepalived's checker goes. Non-blocking (the JDK's
 * asynchronous channel); the engine's timeout cancels the attempt, which closes the connection.
 *
 * @param address the real server (or connect_ip / connect_port)
 * @param heloName the name sent with HELO (keepalived's helo_name, default {@link #DEFAULT_HELO})
 */
record SmtpCheck(InetSocketAddress address, String heloName) implements HealthCheck {

  /** keepalived's default helo_name (check_smtp.h). */
  static final String DEFAULT_HELO = "smtpchecker.keepalived.org";

  /** Longest reply read: a greeting or a HELO answer, even multi-line, is far shorter. */
  static final int MAX_REPLY = 4096;

  SmtpCheck {
    Objects.requireNonNull(address, "address");
    if (heloName.isEmpty() || heloName.chars().anyMatch(c -> c <= ' ' || c == 127)) {
      throw new IllegalArgumentException("heloName must be a non-empty word, was '" + heloName + "'");
    }
  }

  @Override
  public CompletionStage<CheckResult> run(CheckContext context) {
    CompletableFuture<CheckResult> result = new CompletableFuture<>();
    AsynchronousSocketChannel ch;
    try {
      ch = AsynchronousSocketChannel.open();
    } catch (IOException e) {
      return CompletableFuture.completedFuture(CheckResult.down("smtp " + address + ": " + e));
    }
    result.whenComplete((r, e) -> close(ch));
    new Session(ch, result).connect();
    return result;
  }

  private static void close(AsynchronousSocketChannel ch) {
    try {
      ch.close();
    } catch (IOException e) {
      // closing a check's connection: nothing left to do
    }
  }

  /** One attempt: connect, greeting, HELO, QUIT. */
  private final class Session {
    private final AsynchronousSocketChannel ch;
    private final CompletableFuture<CheckResult> result;
    private final ByteBuffer in = ByteBuffer.allocate(MAX_REPLY);

    Session(AsynchronousSocketChannel ch, CompletableFuture<CheckResult> result) {
      this.ch = ch;
      this.result = result;
    }

    void connect() {
      ch.connect(address, null, handler(v -> reply(220, "greeting", () -> send("HELO " + heloName + "\r\n",
          () -> reply(250, "HELO", () -> send("QUIT\r\n", () -> reply(221, "QUIT",
              () -> result.complete(CheckResult.up("smtp " + address + ": 220, HELO 250, QUIT 221")))))))));
    }

    /** Reads one reply (its last line "NNN " or "NNN" alone), then runs {@code next} if its code is {@code code}. */
    private void reply(int code, String what, Runnable next) {
      String text = new String(in.array(), 0, in.position(), StandardCharsets.US_ASCII);
      String last = lastLine(text);
      if (last == null) {
        if (!in.hasRemaining()) {
          result.complete(CheckResult.down("smtp " + address + ": " + what + " reply longer than " + MAX_REPLY + " bytes"));
          return;
        }
        ch.read(in, null, this.<Integer>handler(n -> {
          if (n < 0) {
            result.complete(CheckResult.down("smtp " + address + ": closed before the " + what + " reply"));
          } else {
            reply(code, what, next);
          }
        }));
        return;
      }
      in.clear();
      if (!last.startsWith(Integer.toString(code))) {
        result.complete(CheckResult.down("smtp " + address + ": " + what + " answered '" + last.strip() + "'"));
        return;
      }
      next.run();
    }

    private void send(String line, Runnable next) {
      write(ByteBuffer.wrap(line.getBytes(StandardCharsets.US_ASCII)), next);
    }

    private void write(ByteBuffer out, Runnable next) {
      ch.write(out, null, this.<Integer>handler(n -> {
        if (out.hasRemaining()) {
          write(out, next);
        } else {
          next.run();
        }
      }));
    }

    private <V> CompletionHandler<V, Void> handler(java.util.function.Consumer<V> then) {
      return new CompletionHandler<>() {
        @Override
        public void completed(V value, Void attachment) {
          if (!result.isDone()) {
            then.accept(value);
          }
        }

        @Override
        public void failed(Throwable e, Void attachment) {
          result.complete(CheckResult.down("smtp " + address + ": " + e));
        }
      };
    }
  }

  /** The last line of a complete reply (RFC 5321 4.2.1: "NNN-" continues, "NNN " or "NNN" ends), or null. */
  static @org.jspecify.annotations.Nullable String lastLine(String text) {
    int start = 0;
    while (true) {
      int eol = text.indexOf("\r\n", start);
      if (eol < 0) {
        return null;
      }
      String line = text.substring(start, eol);
      if (line.length() < 4 || line.charAt(3) != '-') {
        return line;
      }
      start = eol + 2;
    }
  }
}
