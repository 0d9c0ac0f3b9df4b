package io.ha4j.director;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.jspecify.annotations.Nullable;

/**
 * Numeric IPv4 and IPv6 addresses as written in a configuration file, read without the resolver.
 * {@link InetAddress#getByName} asks DNS for any word that is not a literal it knows, {@code
 * 999.1.1.1} included: a configuration reader must neither wait for DNS nor take its answer.
 *
 * <p>IPv4 is a dotted quad of four decimal numbers 0..255 without leading zeros (inet_pton's rule,
 * as keepalived reads addresses: {@code 010} is octal to inet_aton and ping). IPv6 is RFC 4291
 * section 2.2's text form: eight groups of 1..4 hex digits, one {@code ::} for a run of zero
 * groups, the last 32 bits optionally as a dotted quad; no zone, no brackets.
 */
final class AddressLiteral {

  private AddressLiteral() {}

  /** {@code text}, a literal this code writes, as an address. */
  static InetAddress require(String text) {
    InetAddress a = parse(text);
    if (a == null) {
      throw new IllegalArgumentException("not an address literal: " + text);
    }
    return a;
  }

  /** {@code text} as an address, or null when it is not a literal of either family. */
  static @Nullable InetAddress parse(String text) {
    byte[] bytes = text.indexOf(':') >= 0 ? ipv6(text) : ipv4(text);
    if (bytes == null) {
      return null;
    }
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new AssertionError("4 or 16 bytes are always an address", e);
    }
  }

  private static byte @Nullable [] ipv4(String s) {
    byte[] out = new byte[4];
    int parts = 0;
    int value = 0;
    int digits = 0;
    for (int i = 0; i <= s.length(); i++) {
      char c = i < s.length() ? s.charAt(i) : '.';
      if (c >= '0' && c <= '9') {
        if (digits > 0 && value == 0) {
          return null;
        }
        value = value * 10 + (c - '0');
        if (++digits > 3 || value > 255) {
          return null;
        }
      } else if (c == '.' && digits > 0 && parts < 4) {
        out[parts++] = (byte) value;
        value = 0;
        digits = 0;
      } else {
        return null;
      }
    }
    return parts == 4 ? out : null;
  }

  private static byte @Nullable [] ipv6(String s) {
    int gap = s.indexOf("::");
    if (gap >= 0 && s.indexOf("::", gap + 1) >= 0) {
      return null;
    }
    int[] head = new int[8];
    int[] tail = new int[8];
    int h;
    int t = 0;
    if (gap < 0) {
      h = groups(s, true, head);
    } else {
      h = groups(s.substring(0, gap), false, head);
      t = groups(s.substring(gap + 2), true, tail);
    }
    if (h < 0 || t < 0 || (gap < 0 ? h != 8 : h + t > 7)) {
      return null;
    }
    byte[] out = new byte[16];
    for (int i = 0; i < h; i++) {
      put(out, i, head[i]);
    }
    for (int i = 0; i < t; i++) {
      put(out, 8 - t + i, tail[i]);
    }
    return out;
  }

  /**
   * The 16-bit groups of {@code part} (one side of {@code ::}, or the whole address) into {@code
   * out}; how many, or -1 when malformed or more than 8.
   *
   * @param last whether {@code part} ends the address, where a dotted quad may stand for two groups
   */
  private static int groups(String part, boolean last, int[] out) {
    if (part.isEmpty()) {
      return 0;
    }
    String[] words = part.split(":", -1);
    int n = 0;
    for (int i = 0; i < words.length; i++) {
      String w = words[i];
      if (last && i == words.length - 1 && w.indexOf('.') >= 0) {
        byte[] quad = ipv4(w);
        if (quad == null || n > 6) {
          return -1;
        }
        out[n++] = (quad[0] & 0xff) << 8 | (quad[1] & 0xff);
        out[n++] = (quad[2] & 0xff) << 8 | (quad[3] & 0xff);
      } else {
        int v = hexGroup(w);
        if (v < 0 || n > 7) {
          return -1;
        }
        out[n++] = v;
      }
    }
    return n;
  }

  /** 1..4 ASCII hex digits as a number, else -1 ({@link Character#digit} would take other scripts' digits). */
  private static int hexGroup(String w) {
    if (w.isEmpty() || w.length() > 4) {
      return -1;
    }
    int v = 0;
    for (int i = 0; i < w.length(); i++) {
      char c = w.charAt(i);
      int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
      if (d < 0) {
        return -1;
      }
      v = v << 4 | d;
    }
    return v;
  }

  private static void put(byte[] out, int group, int value) {
    out[2 * group] = (byte) (value >>> 8);
    out[2 * group + 1] = (byte) value;
  }
}
