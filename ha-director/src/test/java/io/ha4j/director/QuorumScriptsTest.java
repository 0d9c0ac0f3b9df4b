package io.ha4j.director;

import static io.ha4j.director.DirectorConfigParserTest.MINIMAL;
import static io.ha4j.director.DirectorConfigParserTest.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ha4j.api.reconcile.Quorum;
import io.ha4j.core.reconcile.QuorumChange;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** keepalived.conf(5) {@code quorum_up} / {@code quorum_down} (keepalived.conf.quorum): argv without a shell, run on the change. */
class QuorumScriptsTest {

  static String quorum(String up, String down) {
    return MINIMAL + """
        virtual_server 198.51.100.100 80 {
          quorum 2
          quorum_up %s
          quorum_down %s
          real_server 198.51.100.10 80 {
          }
        }
        """.formatted(up, down);
  }

  @Test
  void commandsAreReadAsArgvAndRunOnTheirChange(@TempDir Path dir) throws Exception {
    Path upFile = dir.resolve("up");
    Path downFile = dir.resolve("down");
    DirectorConfig c = DirectorConfigParser.parse("d.conf", quorum("/usr/bin/touch", "\"/usr/bin/touch " + downFile + "\""));
    VirtualServerConfig vs = c.virtualServers().get(0);
    assertEquals(new VirtualServerConfig.QuorumCommands(List.of("/usr/bin/touch"), List.of("/usr/bin/touch",
        downFile.toString())), vs.quorumCommands());

    DirectorConfig withUp = DirectorConfigParser.parse("d.conf", quorum("\"/usr/bin/touch " + upFile + "\"",
        "\"/usr/bin/touch " + downFile + "\""));
    QuorumScripts scripts = new QuorumScripts(withUp.virtualServers(), LoggerFactory.getLogger(QuorumScriptsTest.class));
    var key = withUp.virtualServers().get(0).service().service().key();
    Process down = scripts.changed(new QuorumChange(key, false, 1, new Quorum(2, 0)));
    assertNotNull(down);
    assertTrue(down.waitFor(10, TimeUnit.SECONDS));
    assertEquals(0, down.exitValue());
    assertTrue(Files.exists(downFile), "quorum_down ran");
    assertFalse(Files.exists(upFile), "quorum_up did not run on a loss");
    Process up = scripts.changed(new QuorumChange(key, true, 2, new Quorum(2, 0)));
    assertNotNull(up);
    assertTrue(up.waitFor(10, TimeUnit.SECONDS));
    assertTrue(Files.exists(upFile), "quorum_up ran");
    // Another service, or one without commands: nothing runs.
    DirectorConfig none = DirectorConfigParser.parse("d.conf", quorum("/x", "/y").replace("  quorum_up /x\n  quorum_down /y\n", ""));
    assertNull(new QuorumScripts(none.virtualServers(), LoggerFactory.getLogger(QuorumScriptsTest.class))
        .changed(new QuorumChange(key, true, 2, new Quorum(2, 0))));
  }

  @Test
  void aCommandThatCannotStartIsLoggedNotThrown() throws Exception {
    DirectorConfig c = DirectorConfigParser.parse("d.conf", quorum("/nonexistent/quorum-up", "/nonexistent/quorum-down"));
    var key = c.virtualServers().get(0).service().service().key();
    assertNull(new QuorumScripts(c.virtualServers(), LoggerFactory.getLogger(QuorumScriptsTest.class))
        .changed(new QuorumChange(key, true, 2, new Quorum(2, 0))));
  }

  /**
   * The director runs commands as itself, unchecked: with a command in the file keepalived's script
   * settings would change that, so they are refused; without one they are ignored with a warning.
   */
  @Test
  void scriptUserAndScriptSecurityAreRefusedWhenACommandRuns() throws Exception {
    String commands = quorum("/bin/true", "/bin/true");
    assertError(commands + "global_defs {\n  script_user nobody\n}\n", 18, 3, "script_user",
        "script_user is not supported by the ha4j director");
    assertError(commands + "global_defs {\n  enable_script_security\n}\n", 18, 3, "enable_script_security",
        "enable_script_security is not supported by the ha4j director");
    DirectorConfig none = DirectorConfigParser.parse("d.conf", MINIMAL + "global_defs {\n  enable_script_security\n}\n");
    assertEquals(List.of("d.conf:11:3: enable_script_security is a keepalived daemon setting; ignored (this file runs"
        + " no command)"), none.warnings());
  }

  @Test
  void anotherUserIsRefusedNamingTheKeyword() {
    assertError(quorum("/usr/local/sbin/quorum-up.sh nobody", "/bin/true"), 12, 42, "nobody",
        "quorum_up: running as another user");
    assertError(quorum("\"\"", "/bin/true"), 12, 13, "", "quorum_up needs a command");
  }
}
