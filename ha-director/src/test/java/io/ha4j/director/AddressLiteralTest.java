package io.ha4j.director;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * {@link AddressLiteral} against RFC 4291 section 2.2's text forms, inet_pton(3)'s dotted quad
 * (what keepalived reads), and the JDK's literal parser: {@link InetAddress#getByName} parses a word
 * with a ':' as a literal and never looks it up, so it is the reference for those.
 */
class AddressLiteralTest {

  /** The JDK's reading of a word that contains ':' (never a DNS lookup), or null. */
  static @Nullable InetAddress jdk(String colonWord) {
    try {
      return InetAddress.getByName(colonWord);
    } catch (UnknownHostException e) {
      return null;
    }
  }

  @Test
  void rfc4291TextFormsReadAsTheJdkReadsThem() {
    for (String s : List.of("2001:db8:0:0:1:0:0:1", "2001:DB8::1", "::", "::1", "1::", "1:2:3:4:5:6:7::",
        "::2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8", "0000:0000:0000:0000:0000:0000:0000:0001", "::ffff:198.51.100.1",
        "1:2:3:4:5:6:198.51.100.1", "::198.51.100.1", "2001:db8::198.51.100.1")) {
      assertEquals(jdk(s), AddressLiteral.parse(s), s);
    }
    // An IPv4-mapped address is the IPv4 address, as the JDK has it.
    assertInstanceOf(Inet4Address.class, AddressLiteral.parse("::ffff:198.51.100.1"));
  }

  @Test
  void dottedQuads() throws Exception {
    for (String s : List.of("198.51.100.1", "0.0.0.0", "255.255.255.255", "10.0.0.100", "192.0.2.9")) {
      byte[] b = new byte[4];
      String[] parts = s.split("\\.", -1);
      for (int i = 0; i < 4; i++) {
        b[i] = (byte) Integer.parseInt(parts[i]);
      }
      assertEquals(InetAddress.getByAddress(b), AddressLiteral.parse(s), s);
    }
  }

  /**
   * Not literals. {@code InetAddress.getByName} asked DNS for the first two (they are not literals
   * it knows, so they are names) and read {@code 010} as decimal 10 where inet_aton(3) reads octal
   * 8; inet_pton(3), keepalived's reader, refuses leading zeros.
   */
  @Test
  void notLiterals() {
    for (String s : List.of("999.1.1.1", "198.51.100.256", "010.1.1.1", "1.2.3.00", "1.2.3", "1.2.3.4.", ".1.2.3.4",
        "1.2.3.4.5", "1..2.3", "1.2.3.1000", "2001:db8::1::2", "2001:db8:::1", "12345::", ":1::", "1::2:", ":::",
        "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8::", "::1:2:3:4:5:6:7:8", "::1.2.3", "1.2.3.4::",
        "1:2:3:4:5:6:7:1.2.3.4", "::ffff:010.1.1.1", "::1.2.3.4:5", "fe80::1%eth0", "[::1]",
        "\u0661.\u0662.\u0663.\u0664", "\uff11.2.3.4", "::\uff11", "localhost", "peer.example", "", " 1.2.3.4",
        "0x1.2.3.4", "1.2.3.4/24", "-1.2.3.4")) {
      assertNull(AddressLiteral.parse(s), s);
    }
  }

  /** Every address, in the full form, the zero-compressed one and with a dotted-quad tail, reads back to its bytes. */
  @Property(tries = 2000)
  void everyIpv6AddressInEveryTextFormReadsBackToItsBytes(@ForAll @Size(16) byte[] random,
      @ForAll @IntRange(min = 0, max = 7) int zerosFrom, @ForAll @IntRange(min = 0, max = 8) int zeros,
      @ForAll boolean compress, @ForAll boolean upper, @ForAll boolean quadTail) throws Exception {
    byte[] bytes = random.clone();
    int run = Math.min(zeros, 8 - zerosFrom);
    for (int g = zerosFrom; g < zerosFrom + run; g++) {
      bytes[2 * g] = 0;
      bytes[2 * g + 1] = 0;
    }
    List<String> words = new ArrayList<>();
    for (int g = 0; g < (quadTail ? 6 : 8); g++) {
      words.add(Integer.toHexString((bytes[2 * g] & 0xff) << 8 | (bytes[2 * g + 1] & 0xff)));
    }
    int squeezed = Math.min(run, words.size() - Math.min(zerosFrom, words.size()));
    if (quadTail) {
      words.add((bytes[12] & 0xff) + "." + (bytes[13] & 0xff) + "." + (bytes[14] & 0xff) + "." + (bytes[15] & 0xff));
    }
    String s = compress && squeezed > 0
        ? String.join(":", words.subList(0, zerosFrom)) + "::" + String.join(":", words.subList(zerosFrom + squeezed, words.size()))
        : String.join(":", words);
    String text = upper ? s.toUpperCase(Locale.ROOT) : s;
    assertEquals(InetAddress.getByAddress(bytes), AddressLiteral.parse(text), text);
  }

  private static final Pattern LEADING_ZERO_IN_QUAD = Pattern.compile("(^|[.:])0\\d[^:]*$");

  /** Any word of hex digits, colons and dots: read as the JDK reads it. */
  @Property(tries = 5000)
  void agreesWithTheJdkOnWordsWithAColon(@ForAll("colonWords") String s) {
    // The JDK takes a leading zero in an embedded dotted quad as decimal; inet_pton refuses it.
    Assume.that(!(s.contains(".") && LEADING_ZERO_IN_QUAD.matcher(s).find()));
    assertEquals(jdk(s), AddressLiteral.parse(s), s);
  }

  @Provide
  Arbitrary<String> colonWords() {
    Arbitrary<String> pieces = Arbitraries.of("", "0", "1", "a", "F", "12", "abc", "ffff", "12345", "0db8", "1.2.3.4",
        "198.51.100.1", "256.1.1.1", "1.2.3", ".", "g");
    return pieces.list().ofMinSize(1).ofMaxSize(10).map(l -> String.join(":", l)).filter(w -> w.contains(":"));
  }
}
