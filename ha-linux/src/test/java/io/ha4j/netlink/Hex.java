package io.ha4j.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Hex strings to buffers and back; whitespace and '|' separators are ignored. */
public final class Hex {
  private Hex() {}

  public static byte[] bytes(String hex) {
    String h = hex.replaceAll("[\\s|_]", "");
    if (h.length() % 2 != 0) {
      throw new IllegalArgumentException("odd hex length " + h.length());
    }
    byte[] b = new byte[h.length() / 2];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) Integer.parseInt(h.substring(2 * i, 2 * i + 2), 16);
    }
    return b;
  }

  public static ByteBuffer buffer(String hex) {
    return ByteBuffer.wrap(bytes(hex)).order(ByteOrder.nativeOrder());
  }

  public static String of(ByteBuffer b) {
    StringBuilder sb = new StringBuilder();
    ByteBuffer d = b.duplicate();
    while (d.hasRemaining()) {
      sb.append(String.format("%02x", d.get()));
    }
    return sb.toString();
  }
}
