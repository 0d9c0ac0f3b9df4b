package io.ha4j.core.health;

import io.ha4j.api.health.CheckResult;
import io.ha4j.api.health.CheckSettings;
import io.ha4j.api.health.HealthState;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ha4j.core.time.SystemScheduler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Command checks (keepalived MISC_CHECK: exit 0 is up; misc_timeout kills the script). */
class CommandCheckTest {

  private final SystemScheduler scheduler = new SystemScheduler("command-test");
  private final HealthEngine engine = new HealthEngine(scheduler, new Random(9));
  @TempDir Path dir;

  @AfterEach
  void close() {
    engine.close();
    scheduler.close();
  }

  private CheckResult settle(CommandCheck check, Duration timeout) {
    engine.register("rs", check, CheckSettings.of(Duration.ofSeconds(60), timeout).withWarmupJitter(false));
    Await.until("decided", () -> engine.state("rs") != HealthState.UNKNOWN);
    return engine.lastResult("rs").orElseThrow();
  }

  @Test
  void exitZeroIsUp() {
    var r = settle(CommandCheck.of("sh", "-c", "exit 0"), Duration.ofSeconds(20));
    assertTrue(r.up(), r.detail());
  }

  @Test
  void nonZeroExitIsDownWithTheCode() {
    var r = settle(CommandCheck.of("sh", "-c", "exit 3"), Duration.ofSeconds(20));
    assertEquals("sh exited with 3", r.detail());
  }

  @Test
  void missingProgramIsDown() {
    var r = settle(CommandCheck.of(dir.resolve("no-such-program").toString()), Duration.ofSeconds(20));
    assertEquals(false, r.up());
    assertTrue(r.detail().startsWith("cannot run"), r.detail());
  }

  @Test
  void timeoutKillsTheWholeProcessTree() throws Exception {
    Path pids = dir.resolve("pids");
    // The shell records its own pid and both background children's, then waits for them.
    String script = "sleep 300 & echo $! >> " + pids + "; sleep 300 & echo $! >> " + pids + "; echo $$ >> " + pids + "; wait";
    engine.register("rs", CommandCheck.of("sh", "-c", script),
        CheckSettings.of(Duration.ofSeconds(60), Duration.ofSeconds(8)).withWarmupJitter(false));
    Await.until("three pids", () -> lines(pids).size() == 3);
    List<Long> started = lines(pids).stream().map(Long::parseLong).toList();
    assertTrue(started.stream().allMatch(CommandCheckTest::alive), "all running before the timeout");
    Await.until("down", () -> engine.state("rs") == HealthState.DOWN);
    assertEquals("timed out after PT8S", engine.lastResult("rs").orElseThrow().detail());
    Await.untilDescribed("tree gone", Await.LONG, () -> started.stream().noneMatch(CommandCheckTest::alive), () -> started.toString());
  }

  private static List<String> lines(Path p) {
    try {
      return Files.exists(p) ? Files.readAllLines(p).stream().filter(s -> !s.isBlank()).toList() : List.of();
    } catch (IOException e) {
      return List.of();
    }
  }

  /** Running, not a zombie (an orphan may wait for a reaper that never comes in a container). */
  static boolean alive(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      char state = stat.charAt(stat.lastIndexOf(')') + 2);
      return state != 'Z' && state != 'X';
    } catch (IOException e) {
      return false;
    }
  }
}
