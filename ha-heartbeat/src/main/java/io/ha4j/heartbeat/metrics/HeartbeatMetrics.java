package io.ha4j.heartbeat.metrics;

import io.ha4j.heartbeat.DropReason;
import io.ha4j.heartbeat.VrrpElection;
import io.ha4j.heartbeat.HeartbeatStats;
import io.ha4j.heartbeat.ProofStats;
import io.ha4j.heartbeat.WitnessStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * The meters of a {@link VrrpElection}, tagged {@code node=<node id>}, {@code group=<group
 * id>} (the VRID with the VRRPv3 wire format) and with the tags given. They read the election's
 * own counters ({@link VrrpElection#stats()}) when the registry is scraped:
 *
 * <ul>
 *   <li>{@code ha4j.heartbeat.adverts.sent}: advertisements sent;
 *   <li>{@code ha4j.heartbeat.adverts.received}: datagrams handed to the election;
 *   <li>{@code ha4j.heartbeat.adverts.accepted}: advertisements that reached the state machine;
 *   <li>{@code ha4j.heartbeat.adverts.dropped{reason}}: datagrams dropped, one series per {@link
 *       DropReason} (all present from the start, so a rate over them works before the first drop);
 *   <li>{@code ha4j.heartbeat.vip.mismatches}: accepted advertisements announcing other virtual
 *       addresses than ours;
 *   <li>{@code ha4j.heartbeat.stalls}: timers that fired later than the stall threshold;
 *   <li>{@code ha4j.heartbeat.duplicate.node.ids}: advertisements under our own node id that
 *       another member sent (two members configured with one id);
 *   <li>{@code ha4j.heartbeat.proofs.challenges}, {@code ha4j.heartbeat.proofs.responses}, {@code
 *       ha4j.heartbeat.proofs.proven}: freshness challenges sent, challenges answered, incarnations
 *       proven ({@link VrrpElection#proofStats()}; failed proofs are drops, {@code UNPROVEN} and
 *       {@code BAD_PROOF});
 *   <li>{@code ha4j.heartbeat.witness.closes}, {@code ha4j.heartbeat.witness.goodbyes}, {@code
 *       ha4j.heartbeat.witness.probes}, {@code ha4j.heartbeat.witness.deaths}: the death witness's
 *       closes of a watched master without a goodbye, goodbyes heard, probes sent, deaths concluded
 *       ({@link VrrpElection#witnessStats()}; zero without a witness);
 *   <li>{@code ha4j.heartbeat.priority}: the effective priority now.
 * </ul>
 *
 * <p>The role is metered by {@code io.ha4j.core.metrics.MemberMetrics}. The election is held weakly,
 * as Micrometer does for functional meters.
 */
public final class HeartbeatMetrics implements MeterBinder {

  private final VrrpElection election;
  private final Tags tags;

  /** Meters of {@code election}, tagged with its node and group. */
  public HeartbeatMetrics(VrrpElection election) {
    this(election, Tags.empty());
  }

  /** Meters of {@code election}, tagged with its node, its group and {@code tags}. */
  public HeartbeatMetrics(VrrpElection election, Iterable<Tag> tags) {
    this.election = Objects.requireNonNull(election, "election");
    this.tags = Tags.of(
            "node", election.config().nodeId().value(),
            "group", Integer.toString(election.config().groupId()))
        .and(Objects.requireNonNull(tags, "tags"));
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    counter(registry, "ha4j.heartbeat.adverts.sent", "Advertisements sent", HeartbeatStats::sent, tags);
    counter(registry, "ha4j.heartbeat.adverts.received", "Datagrams handed to the election",
        HeartbeatStats::received, tags);
    counter(registry, "ha4j.heartbeat.adverts.accepted", "Advertisements that reached the state machine",
        HeartbeatStats::accepted, tags);
    for (DropReason reason : DropReason.values()) {
      counter(registry, "ha4j.heartbeat.adverts.dropped", "Datagrams dropped without changing the election",
          s -> s.dropped(reason), tags.and("reason", reason.name()));
    }
    counter(registry, "ha4j.heartbeat.vip.mismatches",
        "Accepted advertisements announcing other virtual addresses than ours", HeartbeatStats::vipMismatches, tags);
    counter(registry, "ha4j.heartbeat.duplicate.node.ids",
        "Advertisements under our own node id that another member sent", HeartbeatStats::duplicateNodeIds, tags);
    counter(registry, "ha4j.heartbeat.stalls", "Timers that fired later than the stall threshold",
        HeartbeatStats::stalls, tags);
    snapshotCounter(registry, "ha4j.heartbeat.proofs.challenges", "Freshness challenges sent",
        VrrpElection::proofStats, ProofStats::challengesSent);
    snapshotCounter(registry, "ha4j.heartbeat.proofs.responses", "Freshness challenges answered",
        VrrpElection::proofStats, ProofStats::responsesSent);
    snapshotCounter(registry, "ha4j.heartbeat.proofs.proven", "Incarnations proven fresh", VrrpElection::proofStats,
        ProofStats::proven);
    snapshotCounter(registry, "ha4j.heartbeat.witness.closes", "Closes of a watched master without a goodbye",
        VrrpElection::witnessStats, WitnessStats::unannouncedCloses);
    snapshotCounter(registry, "ha4j.heartbeat.witness.goodbyes", "Goodbyes heard from a watched master",
        VrrpElection::witnessStats, WitnessStats::goodbyes);
    snapshotCounter(registry, "ha4j.heartbeat.witness.probes", "Probes of a master's witness endpoint",
        VrrpElection::witnessStats, WitnessStats::probes);
    snapshotCounter(registry, "ha4j.heartbeat.witness.deaths", "Master process deaths concluded by the witness",
        VrrpElection::witnessStats, WitnessStats::conclusions);
    Gauge.builder("ha4j.heartbeat.priority", election, VrrpElection::effectivePriority)
        .description("Effective priority after tracked objects' weights (0 in FAULT)")
        .tags(tags)
        .register(registry);
  }

  private <S> void snapshotCounter(MeterRegistry registry, String name, String description,
      Function<VrrpElection, S> snapshot, ToLongFunction<S> read) {
    FunctionCounter.builder(name, election, e -> read.applyAsLong(snapshot.apply(e)))
        .description(description)
        .tags(tags)
        .register(registry);
  }

  private void counter(MeterRegistry registry, String name, String description, ToLongFunction<HeartbeatStats> read,
      Tags meterTags) {
    FunctionCounter.builder(name, election, e -> read.applyAsLong(e.stats()))
        .description(description)
        .tags(meterTags)
        .register(registry);
  }
}
