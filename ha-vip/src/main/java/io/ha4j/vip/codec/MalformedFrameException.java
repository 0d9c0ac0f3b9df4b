package io.ha4j.vip.codec;

/** Bytes that do not decode as the expected frame or message. Counted and dropped by receivers. */
public final class MalformedFrameException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public MalformedFrameException(String message) {
    super(message);
  }
}
