package io.ha4j.examples.demo.real;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Where {@code demo --real} runs, and what it says when it cannot (the task: exit 2 naming what is missing). */
class RealDemoTest {

  static final Path SCRIPT = Path.of("/repo/testkit/vm/kernel-vm.sh");

  static RealDemo.Facts linuxRoot(boolean ipVs, boolean insideVm, Path script, boolean qemu) {
    return new RealDemo.Facts("Linux", null, ipVs, insideVm, script, qemu, List.of());
  }

  @Test
  void withIpVsItRunsHere() {
    assertInstanceOf(RealDemo.Here.class, RealDemo.plan(linuxRoot(true, false, null, false)));
  }

  @Test
  void withoutIpVsItBootsTheVmOfThisClone() {
    assertEquals(new RealDemo.InVm(SCRIPT), RealDemo.plan(linuxRoot(false, false, SCRIPT, true)));
  }

  @Test
  void eachMissingPieceIsNamed() {
    assertWhy(new RealDemo.Facts("Mac OS X", null, false, false, SCRIPT, true, List.of()), "needs Linux");
    assertWhy(new RealDemo.Facts("Linux", "no CAP_SYS_ADMIN (needed to create network namespaces): not root",
        true, false, SCRIPT, true, List.of()), "not root");
    assertWhy(new RealDemo.Facts("Linux", null, true, false, SCRIPT, true, List.of("nft")), "needs nft");
    assertWhy(linuxRoot(false, false, SCRIPT, false), "qemu-system-x86_64 is not installed");
    assertWhy(linuxRoot(false, false, null, true), "testkit/vm/kernel-vm.sh was not found");
    assertWhy(linuxRoot(false, true, SCRIPT, true), "inside the kernel VM");
  }

  @Test
  void theVmScriptIsFoundFromTheBuiltClassesOfThisClone() {
    Path found = RealDemo.findVmScript(Map.of());
    assertNotNull(found, "examples/target/classes lies inside the clone");
    assertTrue(Files.isRegularFile(found), found.toString());
  }

  @Test
  void directorLogLinesBecomeTimelineEvents() {
    RealRun.Event e = RealRun.directorEvent("d2", "17:25:14.652 [director-1] INFO "
        + "io.ha4j.director.DirectorMain - role BACKUP -> MASTER: master-down timer expired");
    assertEquals(new RealRun.Event(LocalTime.of(17, 25, 14, 652_000_000), "d2",
        "role BACKUP -> MASTER: master-down timer expired"), e);
    assertNull(RealRun.directorEvent("d2", "17:25:04.611 [director-1] INFO "
        + "io.ha4j.director.DirectorMain - quorum: QuorumChange[...]"));
  }

  private static void assertWhy(RealDemo.Facts f, String expected) {
    RealDemo.Plan p = RealDemo.plan(f);
    RealDemo.Impossible i = assertInstanceOf(RealDemo.Impossible.class, p);
    assertTrue(i.why().contains(expected), i.why());
  }
}
