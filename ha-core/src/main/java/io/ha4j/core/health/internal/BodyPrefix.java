package io.ha4j.core.health.internal;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import org.jspecify.annotations.Nullable;

/**
 * Reads no more of an HTTP response body than a check needs: nothing without a pattern or a
 * digest; otherwise at most {@code limit} bytes, kept for a pattern, digested on the fly for a
 * digest (never held whole). A longer body is cut off at the limit by cancelling the rest (the
 * connection closes), so a real server sending an endless or huge page costs a check no more
 * than the limit in memory and in bytes read.
 */
final class BodyPrefix implements HttpResponse.BodySubscriber<BodyPrefix.Read> {

  /**
   * What was read.
   *
   * @param kept the prefix kept for a pattern (empty if none was wanted)
   * @param digest the hex digest of the whole body if one was wanted and the body fit the limit,
   *     else null
   * @param truncated whether the body was longer than the limit
   */
  record Read(byte[] kept, @Nullable String digest, boolean truncated) {}

  private final long limit;
  private final @Nullable ByteArrayOutputStream kept;
  private final @Nullable MessageDigest digest;
  private final CompletableFuture<Read> read = new CompletableFuture<>();
  private long count;
  private Flow.@Nullable Subscription subscription;

  private BodyPrefix(long limit, boolean keep, @Nullable String digest) {
    this.limit = limit;
    this.kept = keep ? new ByteArrayOutputStream((int) Math.min(limit, 8192)) : null;
    this.digest = digest != null ? digest(digest) : null;
  }

  /**
   * A handler reading at most {@code limit} bytes, keeping them if {@code keep}, digesting with
   * the JDK algorithm {@code digest} unless it is null.
   */
  static HttpResponse.BodyHandler<Read> handler(long limit, boolean keep, @Nullable String digest) {
    return info -> new BodyPrefix(limit, keep, digest);
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    subscription = s;
    if (kept == null && digest == null) {
      s.cancel();
      finish(false);
    } else {
      s.request(1);
    }
  }

  @Override
  public void onNext(List<ByteBuffer> items) {
    Flow.Subscription s = subscription;
    if (s == null || read.isDone()) {
      return;
    }
    for (ByteBuffer b : items) {
      int n = b.remaining();
      int take = (int) Math.min(n, limit - count);
      byte[] chunk = new byte[take];
      b.get(chunk);
      count += take;
      if (kept != null) {
        kept.write(chunk, 0, take);
      }
      if (digest != null) {
        digest.update(chunk);
      }
      if (take < n) {
        s.cancel();
        finish(true);
        return;
      }
    }
    s.request(1);
  }

  @Override
  public void onError(Throwable t) {
    read.completeExceptionally(t);
  }

  @Override
  public void onComplete() {
    finish(false);
  }

  @Override
  public CompletionStage<Read> getBody() {
    return read;
  }

  private void finish(boolean truncated) {
    ByteArrayOutputStream k = kept;
    MessageDigest d = digest;
    read.complete(new Read(k == null ? new byte[0] : k.toByteArray(),
        d == null || truncated ? null : HexFormat.of().formatHex(d.digest()), truncated));
  }

  private static MessageDigest digest(String algorithm) {
    try {
      return MessageDigest.getInstance(algorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256 and MD5", e);
    }
  }
}
