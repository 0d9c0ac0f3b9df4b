package io.ha4j.director;

import static io.ha4j.director.DirectorConfigParserTest.MINIMAL;
import static io.ha4j.director.DirectorConfigParserTest.assertError;
import static io.ha4j.director.DirectorConfigParserTest.error;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 16, item 13: what the reader does with a file written to hurt it, or by mistake. It never
 * asks DNS (see also {@code DirectorMainTest} for the proof that no lookup happens), never shows a
 * secret in an error, and refuses nesting beyond {@link ConfigReader#MAX_DEPTH} instead of running
 * out of stack.
 */
class ConfigHostileInputTest {

  /** Every place that takes an address refuses a word that is not a literal, at the word. */
  @Test
  void everyAddressIsALiteralWhereverItIsDue() {
    String notAnAddress = "not an IPv4 or IPv6 address";
    assertError(MINIMAL.replace("unicast_src_ip 198.51.100.1", "unicast_src_ip 999.1.1.1"), 4, 18, "999.1.1.1",
        notAnAddress);
    // inet_pton(3) refuses a leading zero (inet_aton reads it as octal); getByName took it as decimal.
    assertError(MINIMAL.replace("    198.51.100.2", "    198.51.100.02"), 6, 5, "198.51.100.02", notAnAddress);
    assertError(MINIMAL.replace("ha4j_key 1", "virtual_ipaddress {\n    director.example/24\n  }\n  ha4j_key 1"), 9, 5,
        "director.example/24", notAnAddress);
    assertError(MINIMAL + "virtual_server 198.51.100.256 80 {\n}\n", 10, 16, "198.51.100.256", notAnAddress);
    assertError(MINIMAL + "virtual_server 198.51.100.100 80 {\n  sorry_server 1.2.3 80\n}\n", 11, 16, "1.2.3",
        notAnAddress);
    assertError(MINIMAL + "virtual_server 198.51.100.100 80 {\n  real_server fe80::1%eth0 80 {\n  }\n}\n", 11, 15,
        "fe80::1%eth0", notAnAddress);
    assertError(MINIMAL + """
        virtual_server 198.51.100.100 80 {
          real_server 198.51.100.10 80 {
            TCP_CHECK {
              connect_ip 1.1.1.1.1
            }
          }
        }
        """, 13, 18, "1.1.1.1.1", notAnAddress);
  }

  static final String SECRET = "Tr0ub4dor-horse-battery";

  /** A malformed key line's error points at the word but shows {@code <secret>}: errors end up in logs and tickets. */
  @Test
  void keyLineErrorsNeverShowTheSecret() {
    String key = "ha4j_key 1 0123456789abcdef";
    record Case(String line, String word, int lineNo, String problem) {}
    List<Case> cases = List.of(
        new Case("ha4j_key 1 " + SECRET + " staple", "staple", 8, "unexpected word after ha4j_key (it takes 2)"),
        new Case("ha4j_key " + SECRET + " 1", SECRET, 8, "key id must be an integer in 0..255"),
        new Case("ha4j_key 1 \"" + SECRET, "\"" + SECRET, 8, "quoted string is not closed on its line"),
        new Case("ha4j_key 1 " + SECRET.substring(0, 9), SECRET.substring(0, 9), 8, "secret must be at least 16 bytes"),
        new Case("authentication {\n    auth_type PASS\n    auth_pass " + SECRET + " staple\n  }", "staple", 10,
            "unexpected word after auth_pass (it takes 1)"),
        new Case("authentication { auth_pass \"" + SECRET + " }", "\"" + SECRET, 8,
            "quoted string is not closed on its line"));
    for (Case c : cases) {
      String text = MINIMAL.replace(key, c.line());
      String lineText = text.lines().toList().get(c.lineNo() - 1);
      assertError(text, c.lineNo(), lineText.indexOf(c.word()) + 1, ConfigToken.SHOWN_SECRET, c.problem());
      String message = error(text).getMessage();
      for (String part : List.of("Tr0ub4dor", "staple", SECRET.substring(0, 9))) {
        assertFalse(message.contains(part), message);
      }
    }
  }

  /** Words of other lines are shown as before, also after a key line and beside one. */
  @Test
  void otherWordsAreStillShown() {
    assertError(MINIMAL.replace("ha4j_key 1 0123456789abcdef", "ha4j_key 1 0123456789abcdef\n  priority high"), 9, 12,
        "high", "priority must be an integer in 1..255");
    assertError(MINIMAL.replace("ha4j_key 1 0123456789abcdef", "authentication { auth_type MD5 }"), 8, 30, "MD5",
        "auth_type must be PASS or AH");
  }

  /** 1,000 blocks deep: refused at the brace that opens the 17th, no StackOverflowError. */
  @Test
  void deepNestingIsRefusedAtTheFirstBraceTooDeep() {
    String problem = "blocks nest deeper than " + ConfigReader.MAX_DEPTH + " levels";
    assertError("b {\n".repeat(1000) + "}\n".repeat(1000) + MINIMAL, 17, 3, "{", problem);
    // One line, 200,000 deep: the reader recursed once per block until the stack ran out.
    assertError("b{".repeat(200_000), 1, 34, "{", problem);
  }

  /** 16 deep is read (and then refused for its keyword, as any unknown block is). */
  @Test
  void sixteenBlocksDeepAreRead() {
    assertError("b {\n".repeat(16) + "}\n".repeat(16) + MINIMAL, 1, 1, "b", "unknown keyword in the top level");
  }
}
