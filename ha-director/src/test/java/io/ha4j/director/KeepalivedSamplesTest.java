package io.ha4j.director;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Issue 18's acceptance guard: keepalived's own sample configurations (its doc/samples, as the
 * Debian package installs them; CI installs keepalived) each load, or are refused at
 * {@code file:line:column} naming a keyword keepalived.conf(5) documents and ha4j does not
 * implement. The expected outcome of each sample is listed: a sample that starts loading or is
 * refused elsewhere fails the test until the list says so.
 */
class KeepalivedSamplesTest {

  static final Path SAMPLES = Path.of("/usr/share/doc/keepalived/samples");
  static final String CONFIG_ID = "ha4j-samples";

  /** Loads: "". Refused: the keyword the refusal names. */
  static final Map<String, String> EXPECTED = new TreeMap<>(Map.ofEntries(
      Map.entry("keepalived.conf.HTTP_GET.port", ""),
      Map.entry("keepalived.conf.IPv6", ""),
      Map.entry("keepalived.conf.PING_CHECK", "PING_CHECK"),
      Map.entry("keepalived.conf.SMTP_CHECK", "host"),
      Map.entry("keepalived.conf.SSL_GET", ""),
      Map.entry("keepalived.conf.UDP_CHECK", "UDP_CHECK"),
      Map.entry("keepalived.conf.conditional_conf", "vrrp_script"),
      Map.entry("keepalived.conf.fwmark", ""),
      Map.entry("keepalived.conf.inhibit", ""),
      Map.entry("keepalived.conf.misc_check", ""),
      Map.entry("keepalived.conf.misc_check_arg", ""),
      Map.entry("keepalived.conf.quorum", ""),
      Map.entry("keepalived.conf.sample", "vrrp_instance"),
      Map.entry("keepalived.conf.status_code", ""),
      Map.entry("keepalived.conf.track_interface", "static_routes"),
      Map.entry("keepalived.conf.virtual_server_group", ""),
      Map.entry("keepalived.conf.virtualhost", ""),
      Map.entry("keepalived.conf.vrrp", "vrrp_instance"),
      Map.entry("keepalived.conf.vrrp.localcheck", "vrrp_script"),
      Map.entry("keepalived.conf.vrrp.lvs_syncd", "vrrp_sync_group"),
      Map.entry("keepalived.conf.vrrp.routes", "static_routes"),
      Map.entry("keepalived.conf.vrrp.rules", "static_rules"),
      Map.entry("keepalived.conf.vrrp.scripts", "vrrp_sync_group"),
      Map.entry("keepalived.conf.vrrp.static_ipaddress", "static_ipaddress"),
      Map.entry("keepalived.conf.vrrp.sync", "vrrp_sync_group")));

  /** {@code file:line:column: problem (at 'token')}. */
  static final Pattern ERROR = Pattern.compile("(.+):(\\d+):(\\d+): (.+) \\(at '(.+)'\\)");

  @Test
  void everySampleLoadsOrIsRefusedAtTheKeyword() throws IOException {
    Assumptions.assumeTrue(Files.isDirectory(SAMPLES),
        SAMPLES + " is absent: install keepalived (CI does) to check its samples");
    Map<String, String> outcome = new TreeMap<>();
    StringBuilder table = new StringBuilder();
    for (Path p : samples()) {
      String name = p.getFileName().toString();
      try {
        // A config id none of the samples names: the outcome must not depend on this host's name.
        DirectorConfig c = DirectorConfigParser.parse(p, CONFIG_ID);
        outcome.put(name, "");
        table.append(String.format("  %-40s loads (%d virtual servers, %d warnings)%n", name,
            c.virtualServers().size(), c.warnings().size()));
      } catch (ConfigException e) {
        table.append(String.format("  %-40s refused: %s%n", name, e.getMessage()));
        outcome.put(name, refusedKeyword(p, e));
      }
    }
    System.out.println("[keepalived samples] " + outcome.values().stream().filter(String::isEmpty).count() + " of "
        + outcome.size() + " load\n" + table);
    assertEquals(EXPECTED, outcome, table.toString());
  }

  /**
   * The keyword a refusal names: the first word of the line it points at, after checking that the
   * token it shows is at that line and column and that the message names the keyword (in the
   * problem or as the token).
   */
  private static String refusedKeyword(Path p, ConfigException e) throws IOException {
    String m = e.getMessage();
    Matcher g = ERROR.matcher(m);
    assertTrue(g.matches(), "not file:line:column: problem (at 'token'): " + m);
    assertEquals(p.toString(), g.group(1));
    String line = Files.readAllLines(p).get(Integer.parseInt(g.group(2)) - 1);
    int column = Integer.parseInt(g.group(3));
    assertTrue(line.startsWith(g.group(5), column - 1), "the token is not at " + g.group(2) + ":" + column + ": " + m);
    String keyword = line.strip().split("\\s+")[0];
    assertTrue(g.group(4).contains(keyword) || g.group(5).equals(keyword), "the message does not name " + keyword + ": " + m);
    return keyword;
  }

  private static List<Path> samples() throws IOException {
    try (Stream<Path> s = Files.list(SAMPLES)) {
      return s.filter(p -> p.getFileName().toString().startsWith("keepalived.conf")).sorted().toList();
    }
  }
}
