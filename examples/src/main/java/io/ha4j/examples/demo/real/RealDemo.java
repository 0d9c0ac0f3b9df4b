package io.ha4j.examples.demo.real;

import io.ha4j.testkit.netns.NetnsPrerequisite;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * {@code demo --real}: the fail-over demo on a real network stack. On Linux as root with ip_vs in
 * this kernel it runs {@link RealRun} directly; without ip_vs it boots the project's kernel VM
 * ({@code testkit/vm/kernel-vm.sh} of this clone) and runs itself in there. Whatever is missing
 * for either way ends it with status 2 and a message naming it.
 */
public final class RealDemo {

  static final Path PROC_NET_IP_VS = Path.of("/proc/net/ip_vs");
  static final String VM_SCRIPT = "testkit/vm/kernel-vm.sh";
  /** What the VM must load besides ip_vs: the topology's bridge, the partition's nftables. */
  static final String VM_MODULES = "bridge nf_tables";

  private RealDemo() {}

  /** How this host can run the real demo: here, in the VM, or not at all (and why). */
  sealed interface Plan permits Here, InVm, Impossible {}

  record Here() implements Plan {}

  record InVm(Path script) implements Plan {}

  record Impossible(String why) implements Plan {}

  /** What the plan depends on, gathered from the host (or given by a test). */
  record Facts(String osName, @Nullable String netnsMissing, boolean ipVsLoaded, boolean insideVm,
      @Nullable Path vmScript, boolean qemuInstalled, List<String> missingCommands) {}

  static Plan plan(Facts f) {
    if (!f.osName().toLowerCase(Locale.ROOT).contains("linux")) {
      return new Impossible("it needs Linux (network namespaces and IPVS); this is " + f.osName());
    }
    if (f.netnsMissing() != null) {
      return new Impossible("it builds network namespaces, which needs root on Linux with iproute2: "
          + f.netnsMissing());
    }
    if (!f.missingCommands().isEmpty()) {
      return new Impossible("it needs " + String.join(", ", f.missingCommands())
          + " (apt-get install busybox-static nftables)");
    }
    if (f.ipVsLoaded()) {
      return new Here();
    }
    if (f.insideVm()) {
      return new Impossible(PROC_NET_IP_VS + " is missing inside the kernel VM: the VM harness is broken");
    }
    if (f.vmScript() == null) {
      return new Impossible("this kernel has no ip_vs (" + PROC_NET_IP_VS + " missing) and " + VM_SCRIPT
          + " was not found to boot a kernel that has it (run examples/bin/demo --real from a clone of ha4j)");
    }
    if (!f.qemuInstalled()) {
      return new Impossible("this kernel has no ip_vs (" + PROC_NET_IP_VS + " missing) and qemu-system-x86_64 is"
          + " not installed to boot the kernel VM (apt-get install qemu-system-x86 busybox-static kmod cpio"
          + " xz-utils ipvsadm)");
    }
    return new InVm(f.vmScript());
  }

  static Facts facts(Map<String, String> env) {
    List<String> missing = new ArrayList<>();
    for (String c : List.of("busybox", "nft")) {
      if (!onPath(env, c)) {
        missing.add(c);
      }
    }
    return new Facts(System.getProperty("os.name", "?"), NetnsPrerequisite.missing(), Files.exists(PROC_NET_IP_VS),
        "1".equals(env.get("HA4J_KERNEL_VM")), findVmScript(env), onPath(env, "qemu-system-x86_64"), missing);
  }

  /** Runs the real demo; returns the exit status. */
  public static int run(PrintStream out, PrintStream err) {
    Plan p = plan(facts(System.getenv()));
    if (p instanceof Impossible i) {
      err.println("demo --real: cannot run here: " + i.why());
      return 2;
    }
    if (p instanceof InVm vm) {
      return runInVm(vm.script(), out, err);
    }
    try {
      return RealRun.run(out);
    } catch (IOException e) {
      err.println("demo --real: " + e);
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("demo --real: interrupted");
      return 1;
    }
  }

  /** Boots the kernel VM and runs {@code demo --real} in it, on this JVM's class path. */
  private static int runInVm(Path script, PrintStream out, PrintStream err) {
    out.println("demo --real: this kernel (" + System.getProperty("os.version") + ") has no ip_vs;"
        + " booting the kernel VM (" + script + ", a minute or more under emulation) ...");
    out.flush();
    List<String> cmd = new ArrayList<>(List.of(script.toString(),
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx256m",
        "-cp", System.getProperty("java.class.path"), "io.ha4j.examples.demo.Demo", "--real"));
    Path work = null;
    try {
      work = Files.createTempDirectory("ha4j-demo-vm");
      ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
      Map<String, String> env = pb.environment();
      env.merge("HA4J_VM_MODULES", VM_MODULES, (a, b) -> a + " " + b);
      env.putIfAbsent("HA4J_VM_TIMEOUT", "900");
      // the VM shares one host directory read-write; the demo writes nothing the host needs
      env.put("HA4J_VM_WORKDIR", work.toString());
      return pb.start().waitFor();
    } catch (IOException e) {
      err.println("demo --real: cannot start " + script + ": " + e);
      return 2;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 130;
    } finally {
      if (work != null) {
        try {
          Files.deleteIfExists(work);
        } catch (IOException e) {
          // a temp dir left behind
        }
      }
    }
  }

  /** testkit/vm/kernel-vm.sh of the clone these classes were built in (or of HA4J_REPO). */
  static @Nullable Path findVmScript(Map<String, String> env) {
    List<Path> starts = new ArrayList<>();
    String repo = env.get("HA4J_REPO");
    if (repo != null) {
      starts.add(Path.of(repo));
    }
    try {
      var source = RealDemo.class.getProtectionDomain().getCodeSource();
      if (source != null) {
        starts.add(Path.of(source.getLocation().toURI()));
      }
    } catch (URISyntaxException | SecurityException | IllegalArgumentException e) {
      // no usable code source: only HA4J_REPO
    }
    for (Path start : starts) {
      for (Path p = start.toAbsolutePath(); p != null; p = p.getParent()) {
        Path script = p.resolve(VM_SCRIPT);
        if (Files.isRegularFile(script)) {
          return script;
        }
      }
    }
    return null;
  }

  private static boolean onPath(Map<String, String> env, String command) {
    String path = env.getOrDefault("PATH", "") + ":/usr/sbin:/sbin:/usr/bin:/bin";
    for (String dir : path.split(File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
        return true;
      }
    }
    return false;
  }
}
