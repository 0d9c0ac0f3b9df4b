package io.ha4j.bench;

import io.ha4j.bench.linux.AdvertisementSniffer;
import java.math.BigDecimal;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * One crash fail-over, seen from the client: a fresh pair, settled, n1 killed at the planned
 * phase, the time until n2 answers at the VIP.
 */
final class FailoverRun {

  static final long FAILOVER_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);
  /**
   * How long before n2's earliest possible take-over (its Master_Down_Interval after n1's last
   * advertisement) the prober stops pausing between probes.
   */
  static final long FAST_PROBING_LEAD_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

  private final FailoverOptions options;
  private final FailoverRig rig;

  FailoverRun(FailoverOptions options, FailoverRig rig) {
    this.options = options;
    this.rig = rig;
  }

  /** One fail-over: fresh pair, settle, n1's {@code death} at the planned phase, time until n2 answers. Empty on failure. */
  Optional<Measurement> measure(PlannedRun planned, BigDecimal interval, Death death) throws Exception {
    Implementation impl = planned.impl();
    AdvertisementSniffer sniffer = rig.sniffer(impl);
    VipProber prober = rig.prober();
    DirectorPair pair = rig.pairs().start(impl, interval);
    try {
      long settled = rig.awaitSettled(pair, interval, options.steadySeconds());
      if (settled < 0) {
        System.out.printf("    did not settle (n1 answering, n2 without VIP) within %d s, or a node died; logs in %s%n",
            TimeUnit.NANOSECONDS.toSeconds(FailoverRig.SETTLE_TIMEOUT_NANOS), options.work());
        return Optional.empty();
      }
      long intervalNanos = FailoverRig.nanos(interval);
      LongSupplier anchor = () -> settled;
      if (options.phase() == KillPhase.LOCKED) {
        LongSupplier advert = PhaseLockedKill.nextAdvertisement(sniffer, intervalNanos);
        if (advert == null) {
          System.out.printf("    no advertisement from n1 (%s) arrived in n2's namespace within 3 intervals "
              + "(%s, %d sniffed so far); logs in %s%n", rig.netns().address(1).getHostAddress(), sniffer,
              sniffer.count(), options.work());
          return Optional.empty();
        }
        anchor = advert;
      }
      Runnable kill = death == Death.HOST ? pair.linkDown(1) : pair.crasher(1);
      prober.mark();
      long killedAt = PhaseLockedKill.awaitPhase(anchor, Math.round(planned.fraction() * intervalNanos));
      kill.run();
      // n2 cannot take over before its Master_Down_Interval has passed since the last advertisement
      // (of ha4j's back-to-back copies the latest: the backup's timer runs from it).
      OptionalLong last = sniffer.latestAtOrBefore(killedAt);
      long mdiNanos = Math.round(Measurement.masterDownIntervalMs(interval, PairLauncher.BACKUP_PRIORITY) * 1e6);
      // ha4j's death witness answers a process death within milliseconds of the kill: probe fast from it.
      boolean witnessed = death == Death.PROCESS && impl == Implementation.HA4J;
      prober.probeFastFrom(last.isPresent() && !witnessed ? last.getAsLong() + mdiNanos - FAST_PROBING_LEAD_NANOS
          : killedAt);
      long answeredAt;
      try {
        answeredAt = prober.awaitFirst(FailoverRig.name(2), FAILOVER_TIMEOUT_NANOS);
      } finally {
        prober.probeFastFrom(Long.MAX_VALUE);
      }
      if (answeredAt < 0) {
        System.out.printf("    n2 never answered within %d s; logs in %s%n",
            TimeUnit.NANOSECONDS.toSeconds(FAILOVER_TIMEOUT_NANOS), options.work());
        return Optional.empty();
      }
      double phaseMs = last.isPresent() ? (killedAt - last.getAsLong()) / 1e6 : Double.NaN;
      return Optional.of(new Measurement(interval, planned.run(), impl, (answeredAt - killedAt) / 1e6, phaseMs));
    } finally {
      pair.destroy();
    }
  }
}
