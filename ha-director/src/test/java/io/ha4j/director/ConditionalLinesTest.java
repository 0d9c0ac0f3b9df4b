package io.ha4j.director;

import static io.ha4j.director.DirectorConfigParserTest.MINIMAL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** keepalived.conf(5) "Conditional configuration and configuration id": {@code @ID} and {@code @^ID} lines. */
class ConditionalLinesTest {

  /** keepalived.conf(5)'s example: one file for two nodes. */
  static final String TWO_NODES = MINIMAL.replace("  unicast_src_ip 198.51.100.1\n",
      "@main    unicast_src_ip 198.51.100.1\n  @backup unicast_src_ip 198.51.100.2\n") + """
      global_defs {
        @main   router_id main_router
        @^main  router_id other_router
      }
      """;

  @Test
  void linesCountOnlyWhereTheirIdMatches() throws Exception {
    DirectorConfig main = DirectorConfigParser.parse("d.conf", TWO_NODES, "main");
    assertEquals("main_router@198.51.100.1", main.heartbeat().nodeId().value());
    DirectorConfig backup = DirectorConfigParser.parse("d.conf", TWO_NODES, "backup");
    assertEquals("other_router@198.51.100.2", backup.heartbeat().nodeId().value());
    // Neither: no unicast_src_ip at all.
    ConfigException e = assertThrows(ConfigException.class, () -> DirectorConfigParser.parse("d.conf", TWO_NODES, "x"));
    assertEquals("d.conf:1:1: vrrp_instance VI_1 lacks unicast_src_ip (needed with unicast_peer: the heartbeat socket's"
        + " address) (at 'vrrp_instance')", e.getMessage());
  }

  /** Blanked, not removed: errors on a conditional line keep their column. */
  @Test
  void errorsKeepTheirLineAndColumn() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> DirectorConfigParser.parse("d.conf", MINIMAL + "@main    bogus_keyword\n", "main"));
    assertEquals(10, e.line());
    assertEquals(10, e.column());
    assertEquals("bogus_keyword", e.token());
  }

  @Test
  void aConditionalLineWithNothingAfterItsIdCountsNowhere() {
    assertEquals("a\n\nb", ConditionalLines.apply("a\n@main\nb", "main"));
    assertEquals("a\n      x\n", ConditionalLines.apply("a\n@main x\n", "main"));
    assertEquals("a\n\n", ConditionalLines.apply("a\n@^main x\n", "main"));
    assertEquals("\t       x", ConditionalLines.apply("\t@^main x", "other"));
  }

  @Test
  void theConfigIdOptionChoosesTheLines(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("d.conf");
    Files.writeString(f, TWO_NODES, StandardCharsets.UTF_8);
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(err, true, StandardCharsets.UTF_8);
    assertEquals(0, DirectorMain.run(new String[] {"--check", "--config-id", "backup", f.toString()}, out, null));
    assertEquals(true, err.toString(StandardCharsets.UTF_8).contains("other_router@198.51.100.2"),
        err.toString(StandardCharsets.UTF_8));
    assertEquals(64, DirectorMain.run(new String[] {"--check", f.toString(), "--config-id"}, out, null));
  }
}
