package io.ha4j.warmup;

import io.ha4j.api.Role;
import io.ha4j.api.VirtualAddress;
import io.ha4j.core.member.Member;
import io.ha4j.core.time.VirtualClock;
import io.ha4j.core.time.VirtualScheduler;
import io.ha4j.heartbeat.BeforeMaster;
import io.ha4j.heartbeat.HeartbeatConfig;
import io.ha4j.heartbeat.VrrpElection;
import io.ha4j.heartbeat.WireFormat;
import io.ha4j.vip.VipOwner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.helpers.NOPLogger;

/**
 * Runs a member's take-over ahead, so that a standby's real take-over runs linked, partly compiled
 * code instead of loading classes and interpreting between its master-down timer and its gratuitous
 * ARP (see the package documentation for the figures).
 *
 * <p>Each round builds a throwaway member of the real classes, with the real election's settings
 * and wire format: a {@link VrrpElection} over a sink transport, a {@link VipOwner} over a kernel
 * that acks every request and drops every frame, a {@link Member} over both, all on a virtual
 * clock of their own on the calling thread. The member starts as backup, hears nobody, takes over
 * when its master-down timer expires (adds and announces the VIPs, advertises), and stops (a
 * priority-0 advertisement, the VIPs released). The copies log nothing and share nothing with
 * the real member: the configuration is copied with a fixed incarnation, no before-master hook and
 * no preempt delay, so the real one's incarnation source and hook are never called. Then the
 * native send path (every {@code sendto} of ha4j: advertisements, frames, netlink requests) runs
 * against no socket, and a few read-only netlink requests ({@code RTM_GETLINK} of the loopback
 * interface) run for real, where native code is available.
 *
 * <pre>{@code
 * TakeOverWarmUp.of(config).virtualAddresses(vips).run();   // once per JVM, before member.start()
 * }</pre>
 *
 * <p>300 rounds (the default) take about 0.1-0.2 s on a 2-vCPU VM: above the JIT's first
 * compilation threshold for what runs once a round. 1,500 rounds, which compiled the rest too,
 * gained nothing measurable in the fail-over benchmark and made the start slower.
 */
public final class TakeOverWarmUp {

  /** Rounds by default. */
  public static final int DEFAULT_ROUNDS = 300;

  private final HeartbeatConfig config;
  private final WireFormat wireFormat;
  private final List<VirtualAddress> virtualAddresses = new ArrayList<>();
  private int rounds = DEFAULT_ROUNDS;
  private boolean nativePath = true;

  private TakeOverWarmUp(HeartbeatConfig config, WireFormat wireFormat) {
    this.config = config;
    this.wireFormat = wireFormat;
  }

  /** A warm-up of the take-over of an election with {@code config}, on ha4j's authenticated wire format. */
  public static TakeOverWarmUp of(HeartbeatConfig config) {
    Objects.requireNonNull(config, "config");
    return of(config, WireFormat.authenticated(config));
  }

  /** A warm-up of the take-over of an election with {@code config}, speaking {@code wireFormat} (VRRPv3, say). */
  public static TakeOverWarmUp of(HeartbeatConfig config, WireFormat wireFormat) {
    return new TakeOverWarmUp(Objects.requireNonNull(config, "config"), Objects.requireNonNull(wireFormat, "wireFormat"));
  }

  /** The member's virtual addresses (their interface names and families matter, not the interfaces). */
  public TakeOverWarmUp virtualAddresses(Collection<VirtualAddress> addresses) {
    for (VirtualAddress a : addresses) {
      virtualAddresses.add(Objects.requireNonNull(a, "virtual address"));
    }
    return this;
  }

  /** How many take-overs to run; {@value #DEFAULT_ROUNDS} by default, 0 for none. */
  public TakeOverWarmUp rounds(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("rounds must be >= 0, was " + n);
    }
    this.rounds = n;
    return this;
  }

  /** Whether to run the native send and netlink paths too (default on; skipped where native code is unavailable). */
  public TakeOverWarmUp nativePath(boolean on) {
    this.nativePath = on;
    return this;
  }

  /** What a warm-up did. */
  public record Result(int rounds, int tookOver, boolean nativePath, Duration took) {}

  /** Runs the warm-up on the calling thread and says what it did; throws if a round failed. */
  public Result run() {
    long began = System.nanoTime();
    HeartbeatConfig copy = config.toBuilder()
        .incarnations(() -> 1L)
        .beforeMaster(BeforeMaster.NONE, config.beforeMasterTimeout())
        .preemptDelay(Duration.ZERO)
        .build();
    Duration untilMaster = VrrpElection.masterDownInterval(copy.priority(), copy.advertisementInterval())
        .plus(copy.advertisementInterval());
    VirtualClock clock = new VirtualClock();
    int tookOver = 0;
    for (int i = 0; i < rounds; i++) {
      if (round(copy, clock, untilMaster)) {
        tookOver++;
      }
    }
    boolean warmedNative = nativePath && NativePath.run();
    return new Result(rounds, tookOver, warmedNative, Duration.ofNanos(System.nanoTime() - began));
  }

  /** One take-over and hand-over on throwaway copies; whether it took over, announced and advertised. */
  private boolean round(HeartbeatConfig copy, VirtualClock clock, Duration untilMaster) {
    Logger quiet = NOPLogger.NOP_LOGGER;
    VirtualScheduler scheduler = clock.newScheduler("warm-up");
    // Wired as the director wires it: the election on a thread of its own, handing role changes
    // to the member's, so that the hand-over between the two is warm too.
    VirtualScheduler electionScheduler = clock.newScheduler("warm-up-election");
    SinkTransport sink = new SinkTransport();
    AckingAddressKernel kernel = new AckingAddressKernel();
    VipOwner owner = VipOwner.builder(kernel, scheduler).logger(quiet).build();
    virtualAddresses.forEach(owner::manage);
    VrrpElection election = new VrrpElection(copy, wireFormat, sink, electionScheduler, quiet);
    Member member = Member.builder(scheduler, election, owner).virtualAddresses(virtualAddresses)
        .logger(quiet).build();
    member.start();
    clock.advanceBy(untilMaster);
    boolean took = member.role() == Role.MASTER && sink.sent() > 0
        && (virtualAddresses.isEmpty() || (owner.owned().size() == virtualAddresses.size() && kernel.frames() > 0));
    member.stop();
    clock.runUntilIdle(Duration.ofMinutes(10));
    owner.close();
    election.close();
    if (clock.pendingTasks() != 0) {
      throw new IllegalStateException("a warm-up round left " + clock.pendingTasks() + " tasks scheduled");
    }
    return took;
  }
}
