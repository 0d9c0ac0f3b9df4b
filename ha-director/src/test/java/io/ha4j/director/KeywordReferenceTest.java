package io.ha4j.director;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The keyword reference (ha-director/keywords.md, shipped in the distribution's doc/) against the
 * reader's keyword tables (issue 18: the reference marks each keyword supported,
 * warned-and-ignored or refused, and nothing written by hand may drift from the code). The tables
 * are found by reflection, every static {@link KeywordTable} of the package, so that a keyword or
 * a table added to the reader fails here until the reference has it.
 */
class KeywordReferenceTest {

  /** Each table of the reader (class.field) and the heading of its section in the reference. */
  static final Map<String, String> SECTIONS = Map.ofEntries(
      Map.entry("DirectorConfigParser.TOP_LEVEL", "top level"),
      Map.entry("DirectorConfigParser.GLOBAL_DEFS", "global_defs"),
      Map.entry("VrrpInstanceBlock.KEYWORDS", "vrrp_instance"),
      Map.entry("VrrpInstanceBlock.AUTHENTICATION", "authentication"),
      Map.entry("VirtualServerBlock.KEYWORDS", "virtual_server"),
      Map.entry("RealServerBlock.KEYWORDS", "real_server"),
      Map.entry("CheckerBlock.TCP_CHECK", "TCP_CHECK"),
      Map.entry("CheckerBlock.HTTP_GET", "HTTP_GET and SSL_GET"),
      Map.entry("CheckerBlock.MISC_CHECK", "MISC_CHECK"),
      Map.entry("CheckerBlock.UDP_CHECK", "UDP_CHECK"),
      Map.entry("CheckerBlock.SMTP_CHECK", "SMTP_CHECK"),
      Map.entry("UrlBlock.KEYWORDS", "url"));

  /** KeywordTable's private maps, each the keywords of one status. */
  static final Map<String, String> STATUS_OF_MAP = Map.of(
      "keywords", "supported", "ignored", "warned-and-ignored", "refused", "refused");

  static final Path REFERENCE = Path.of("keywords.md");
  private static final Pattern HEADING = Pattern.compile("^## (.+)$");
  private static final Pattern ROW = Pattern.compile("^\\| `([^`]+)` \\| ([a-z-]+) \\|.*$");

  @Test
  void everyKeywordOfTheReaderIsInTheReferenceWithItsStatus() throws Exception {
    Map<String, Map<String, String>> code = codeTables();
    Map<String, Map<String, String>> reference = reference();
    List<String> problems = new ArrayList<>();
    code.forEach((section, keywords) -> {
      Map<String, String> rows = reference.get(section);
      if (rows == null) {
        problems.add("no section '## " + section + "' in " + REFERENCE);
        return;
      }
      keywords.forEach((keyword, status) -> {
        String written = rows.get(keyword);
        if (written == null) {
          problems.add(section + ": `" + keyword + "` (" + status + ") is missing");
        } else if (!written.equals(status)) {
          problems.add(section + ": `" + keyword + "` is " + status + " in the code, " + written + " in the reference");
        }
      });
    });
    assertTrue(problems.isEmpty(), "update " + REFERENCE.toAbsolutePath() + ":\n  " + String.join("\n  ", problems));
  }

  @Test
  void everyRowOfTheReferenceIsAKeywordOfTheReader() throws Exception {
    Map<String, Map<String, String>> code = codeTables();
    List<String> problems = new ArrayList<>();
    reference().forEach((section, rows) -> {
      Map<String, String> keywords = code.get(section);
      if (keywords == null) {
        problems.add("section '## " + section + "' is no table of the reader");
        return;
      }
      rows.keySet().stream().filter(k -> !keywords.containsKey(k))
          .forEach(k -> problems.add(section + ": `" + k + "` is not a keyword of the table"));
    });
    assertTrue(problems.isEmpty(), "update " + REFERENCE.toAbsolutePath() + ":\n  " + String.join("\n  ", problems));
  }

  /** The maps read by reflection are the reader's behaviour: a refused keyword is an error, an ignored one a warning. */
  @Test
  void theStatusesAreWhatTheReaderDoes() throws Exception {
    String example = Files.readString(Path.of("director.conf"), StandardCharsets.UTF_8);
    Map<String, String> top = reference().get("top level");
    Map<String, String> global = reference().get("global_defs");
    int refused = 0;
    for (Map.Entry<String, String> e : top.entrySet()) {
      if (e.getValue().equals("refused")) {
        String text = example + "\n" + e.getKey() + " x {\n}\n";
        ConfigException c = assertThrows(ConfigException.class, () -> DirectorConfigParser.parse("t.conf", text),
            REFERENCE + " says `" + e.getKey() + "` is refused at the top level, but the reader takes it");
        assertTrue(c.getMessage().contains(e.getKey() + " is not supported"), REFERENCE + " says `" + e.getKey()
            + "` is refused at the top level, but the reader says: " + c.getMessage());
        refused++;
      }
    }
    int warned = 0;
    int line = example.substring(0, example.indexOf("global_defs {")).split("\n", -1).length + 1;
    for (Map.Entry<String, String> e : global.entrySet()) {
      if (e.getValue().equals("warned-and-ignored")) {
        String text = example.replace("global_defs {", "global_defs {\n  " + e.getKey() + " x");
        DirectorConfig c = DirectorConfigParser.parse("t.conf", text);
        assertTrue(c.warnings().stream().anyMatch(w -> w.startsWith("t.conf:" + line + ":3: " + e.getKey())),
            REFERENCE + " says `" + e.getKey() + "` is warned-and-ignored in global_defs, but the reader's warnings are "
            + c.warnings());
        warned++;
      }
    }
    assertTrue(refused > 0 && warned > 0, "refused " + refused + ", warned " + warned);
  }

  /** The reference's sections: heading, then keyword to status, in file order. */
  static Map<String, Map<String, String>> reference() throws IOException {
    Map<String, Map<String, String>> sections = new LinkedHashMap<>();
    Map<String, String> current = null;
    String heading = null;
    int line = 0;
    for (String l : Files.readAllLines(REFERENCE, StandardCharsets.UTF_8)) {
      line++;
      Matcher h = HEADING.matcher(l);
      if (h.matches()) {
        heading = h.group(1).strip();
        current = new LinkedHashMap<>();
        if (sections.put(heading, current) != null) {
          fail(REFERENCE + ":" + line + ": section '" + heading + "' is there twice");
        }
        continue;
      }
      Matcher r = ROW.matcher(l);
      if (r.matches()) {
        if (current == null) {
          fail(REFERENCE + ":" + line + ": a keyword row before the first section");
        }
        String status = r.group(2);
        if (!STATUS_OF_MAP.containsValue(status)) {
          fail(REFERENCE + ":" + line + ": status '" + status + "' is none of " + STATUS_OF_MAP.values());
        }
        if (current.put(r.group(1), status) != null) {
          fail(REFERENCE + ":" + line + ": `" + r.group(1) + "` is in section '" + heading + "' twice");
        }
      }
    }
    return sections;
  }

  /** Every static KeywordTable of the package, as its section heading to keyword to status. */
  static Map<String, Map<String, String>> codeTables() throws Exception {
    Map<String, Map<String, String>> tables = new TreeMap<>();
    List<String> unmapped = new ArrayList<>();
    for (Class<?> c : packageClasses()) {
      for (Field f : c.getDeclaredFields()) {
        if (!Modifier.isStatic(f.getModifiers()) || f.getType() != KeywordTable.class) {
          continue;
        }
        String name = c.getSimpleName() + "." + f.getName();
        String section = SECTIONS.get(name);
        if (section == null) {
          unmapped.add(name);
          continue;
        }
        f.setAccessible(true);
        tables.put(section, statuses(f.get(null)));
      }
    }
    assertTrue(unmapped.isEmpty(), "keyword tables without a section: add each to KeywordReferenceTest.SECTIONS"
        + " and its section to " + REFERENCE + ": " + unmapped);
    assertEquals(SECTIONS.values().stream().sorted().toList(),
        tables.keySet().stream().sorted().toList(), "tables of SECTIONS no longer in the code");
    return tables;
  }

  private static Map<String, String> statuses(Object table) throws IllegalAccessException {
    Map<String, String> keywords = new TreeMap<>();
    for (Map.Entry<String, String> m : STATUS_OF_MAP.entrySet()) {
      Field f;
      try {
        f = KeywordTable.class.getDeclaredField(m.getKey());
      } catch (NoSuchFieldException e) {
        throw new AssertionError("KeywordTable has no map '" + m.getKey() + "' any more: update"
            + " KeywordReferenceTest.STATUS_OF_MAP to its maps of keywords by status", e);
      }
      f.setAccessible(true);
      for (Object k : ((Map<?, ?>) f.get(table)).keySet()) {
        keywords.put((String) k, m.getValue());
      }
    }
    return keywords;
  }

  /** The classes of io.ha4j.director in the main output folder, nested ones included. */
  private static List<Class<?>> packageClasses() throws IOException, URISyntaxException, ClassNotFoundException {
    Path root = Path.of(KeywordTable.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Path dir = root.resolve(KeywordTable.class.getPackageName().replace('.', '/'));
    List<Class<?>> classes = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : files.filter(p -> p.toString().endsWith(".class")).sorted().toList()) {
        String simple = p.getFileName().toString().replaceFirst("\\.class$", "");
        classes.add(Class.forName(KeywordTable.class.getPackageName() + "." + simple, false,
            KeywordTable.class.getClassLoader()));
      }
    }
    return classes;
  }
}
