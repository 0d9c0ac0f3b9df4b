package io.ha4j.heartbeat;

import io.ha4j.api.NodeId;
import io.ha4j.api.VirtualAddress;
import io.ha4j.api.election.Tracked;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The settings of one member of one election group. Build with {@link #builder()}.
 *
 * @param clusterId any 32-bit value shared by the cluster; packets of other clusters are dropped
 * @param groupId 1..255, the election group (like a VRRP VRID)
 * @param nodeId this member
 * @param priority 1..254, or 255 for the address owner, which becomes master at once on start
 *     (RFC 5798 section 6.4.1)
 * @param advertisementInterval how often a master advertises, 10 ms .. 1 h, whole milliseconds
 * @param preempt whether a higher-priority backup takes over from a lower-priority master
 * @param preemptDelay after a start (or the end of a FAULT), preemption waits this long
 *     (keepalived's {@code preempt_delay}); zero for none
 * @param keys 1 or 2 shared keys with distinct ids; the first signs, all are accepted
 * @param destinations where advertisements go: unicast peers and/or a multicast group
 * @param trackWeights tracked objects (interfaces, health checks, scripts, files) with their weight in
 *     -254..254: when up, a positive weight is added to the priority; when down, a negative weight
 *     is added; a weight-0 object that is down puts the member in FAULT (keepalived {@code
 *     track_script}/{@code track_interface})
 * @param virtualAddresses the VIP set, whose digest is advertised so that a mismatch is noticed
 * @param stallThreshold a timer that fires later than this fraction of the master-down interval
 *     is taken as a stall of this process (GC pause, VM steal), in (0, 1]
 * @param beforeMaster runs before becoming master
 * @param beforeMasterTimeout how long {@code beforeMaster} may take
 * @param incarnations gives the incarnation number on each start
 * @param advertisementCopies how many datagrams carry each advertisement, 1..{@value
 *     #MAX_ADVERTISEMENT_COPIES} (default 1, one datagram as in VRRP); see {@link
 *     Builder#advertisementCopies(int)}
 */
public record HeartbeatConfig(
    int clusterId,
    int groupId,
    NodeId nodeId,
    int priority,
    Duration advertisementInterval,
    boolean preempt,
    Duration preemptDelay,
    List<HeartbeatKey> keys,
    List<InetSocketAddress> destinations,
    Map<Tracked, Integer> trackWeights,
    Set<VirtualAddress> virtualAddresses,
    double stallThreshold,
    BeforeMaster beforeMaster,
    Duration beforeMasterTimeout,
    LongSupplier incarnations,
    int advertisementCopies) {

  /** Priority of the address owner (RFC 5798 section 6.1). */
  public static final int OWNER_PRIORITY = 255;
  /** Shortest advertisement interval accepted. */
  public static final Duration MIN_INTERVAL = Duration.ofMillis(10);
  /** Most datagrams per advertisement ({@link #advertisementCopies()}). */
  public static final int MAX_ADVERTISEMENT_COPIES = 5;

  public HeartbeatConfig {
    if (groupId < 1 || groupId > 255) {
      throw new IllegalArgumentException("groupId must be 1..255, was " + groupId);
    }
    Objects.requireNonNull(nodeId, "nodeId");
    if (priority < 1 || priority > OWNER_PRIORITY) {
      throw new IllegalArgumentException(
          "priority must be 1..254 (or 255 for the address owner), was " + priority);
    }
    Objects.requireNonNull(advertisementInterval, "advertisementInterval");
    if (advertisementInterval.compareTo(MIN_INTERVAL) < 0
        || advertisementInterval.compareTo(Advertisement.MAX_INTERVAL) > 0
        || !advertisementInterval.equals(Duration.ofMillis(advertisementInterval.toMillis()))) {
      throw new IllegalArgumentException(
          "advertisementInterval must be whole milliseconds in 10 ms .. 1 h, was " + advertisementInterval);
    }
    Objects.requireNonNull(preemptDelay, "preemptDelay");
    if (preemptDelay.isNegative()) {
      throw new IllegalArgumentException("preemptDelay must not be negative, was " + preemptDelay);
    }
    keys = List.copyOf(Objects.requireNonNull(keys, "keys"));
    if (keys.isEmpty() || keys.size() > 2) {
      throw new IllegalArgumentException("keys must hold 1 or 2 keys (2 during a rollover), was " + keys.size());
    }
    if (keys.size() == 2 && keys.get(0).id() == keys.get(1).id()) {
      throw new IllegalArgumentException("keys must have distinct ids, key id " + keys.get(0).id() + " twice");
    }
    destinations = List.copyOf(Objects.requireNonNull(destinations, "destinations"));
    if (destinations.isEmpty()) {
      throw new IllegalArgumentException("destinations must name at least one peer or multicast group");
    }
    for (InetSocketAddress d : destinations) {
      if (d.isUnresolved()) {
        throw new IllegalArgumentException("destination " + d + " is unresolved");
      }
    }
    trackWeights = Map.copyOf(Objects.requireNonNull(trackWeights, "trackWeights"));
    trackWeights.forEach((object, w) -> {
      if (w < -254 || w > 254) {
        throw new IllegalArgumentException(
            "tracked " + object + " needs a weight in -254..254, was " + w);
      }
    });
    virtualAddresses = Set.copyOf(Objects.requireNonNull(virtualAddresses, "virtualAddresses"));
    if (!(stallThreshold > 0 && stallThreshold <= 1)) {
      throw new IllegalArgumentException("stallThreshold must be in (0, 1], was " + stallThreshold);
    }
    Objects.requireNonNull(beforeMaster, "beforeMaster");
    Objects.requireNonNull(beforeMasterTimeout, "beforeMasterTimeout");
    if (beforeMasterTimeout.isNegative() || beforeMasterTimeout.isZero()) {
      throw new IllegalArgumentException("beforeMasterTimeout must be positive, was " + beforeMasterTimeout);
    }
    Objects.requireNonNull(incarnations, "incarnations");
    if (advertisementCopies < 1 || advertisementCopies > MAX_ADVERTISEMENT_COPIES) {
      throw new IllegalArgumentException(
          "advertisementCopies must be 1.." + MAX_ADVERTISEMENT_COPIES + ", was " + advertisementCopies);
    }
  }

  /** The settings without {@link #advertisementCopies()} (one datagram per advertisement). */
  public HeartbeatConfig(int clusterId, int groupId, NodeId nodeId, int priority, Duration advertisementInterval,
      boolean preempt, Duration preemptDelay, List<HeartbeatKey> keys, List<InetSocketAddress> destinations,
      Map<Tracked, Integer> trackWeights, Set<VirtualAddress> virtualAddresses, double stallThreshold,
      BeforeMaster beforeMaster, Duration beforeMasterTimeout, LongSupplier incarnations) {
    this(clusterId, groupId, nodeId, priority, advertisementInterval, preempt, preemptDelay, keys, destinations,
        trackWeights, virtualAddresses, stallThreshold, beforeMaster, beforeMasterTimeout, incarnations, 1);
  }

  /** A builder with the defaults: priority 100, interval 1 s, preempt on, stall threshold 0.25. */
  public static Builder builder() {
    return new Builder();
  }

  /** The default incarnation source: wall-clock milliseconds shifted left 20 bits, plus 20 random bits. */
  public static long wallClockIncarnation() {
    return (System.currentTimeMillis() << 20) | (RANDOM.nextInt() & 0xfffff);
  }

  private static final SecureRandom RANDOM = new SecureRandom();

  /** Builds a {@link HeartbeatConfig}; the record's constructor validates. */
  public static final class Builder {
    private int clusterId;
    private int groupId = 1;
    private @Nullable NodeId nodeId;
    private int priority = 100;
    private Duration advertisementInterval = Duration.ofSeconds(1);
    private boolean preempt = true;
    private Duration preemptDelay = Duration.ZERO;
    private final List<HeartbeatKey> keys = new ArrayList<>();
    private final List<InetSocketAddress> destinations = new ArrayList<>();
    private final Map<Tracked, Integer> trackWeights = new LinkedHashMap<>();
    private final Set<VirtualAddress> virtualAddresses = new LinkedHashSet<>();
    private double stallThreshold = 0.25;
    private BeforeMaster beforeMaster = BeforeMaster.NONE;
    private Duration beforeMasterTimeout = Duration.ofSeconds(5);
    private LongSupplier incarnations = HeartbeatConfig::wallClockIncarnation;
    private int advertisementCopies = 1;

    private Builder() {}

    public Builder clusterId(int v) { clusterId = v; return this; }
    public Builder groupId(int v) { groupId = v; return this; }
    public Builder nodeId(NodeId v) { nodeId = v; return this; }
    public Builder nodeId(String v) { nodeId = NodeId.of(v); return this; }
    public Builder priority(int v) { priority = v; return this; }
    public Builder advertisementInterval(Duration v) { advertisementInterval = v; return this; }
    public Builder preempt(boolean v) { preempt = v; return this; }
    public Builder preemptDelay(Duration v) { preemptDelay = v; return this; }
    /** Adds a key; the first added signs. */
    public Builder key(HeartbeatKey v) { keys.add(v); return this; }
    public Builder key(int id, byte[] secret) { return key(new HeartbeatKey(id, secret)); }
    /** Replaces the keys: the first signs, all are accepted (two during a rollover). */
    public Builder keys(List<HeartbeatKey> v) {
      keys.clear();
      keys.addAll(v);
      return this;
    }
    /** Adds a destination (a peer or a multicast group). */
    public Builder destination(InetSocketAddress v) { destinations.add(v); return this; }
    public Builder destinations(List<InetSocketAddress> v) { destinations.addAll(v); return this; }
    /** Tracks an object with a weight (see {@link HeartbeatConfig#trackWeights()}). */
    public Builder track(Tracked object, int weight) { trackWeights.put(Objects.requireNonNull(object, "object"), weight); return this; }
    public Builder virtualAddress(VirtualAddress v) { virtualAddresses.add(v); return this; }
    public Builder stallThreshold(double v) { stallThreshold = v; return this; }
    public Builder beforeMaster(BeforeMaster hook, Duration timeout) {
      beforeMaster = hook;
      beforeMasterTimeout = timeout;
      return this;
    }
    public Builder incarnations(LongSupplier v) { incarnations = v; return this; }

    /**
     * Sends each advertisement as {@code n} datagrams back to back, each with its own sequence
     * number (so the replay window accepts the first that arrives and drops a later copy as old).
     * Default 1.
     *
     * <p>Why: a backup takes over when no advertisement arrived for the master-down interval,
     * {@code 3 * interval + skew}, that is after 3 (or, with the skew, at most 4) advertisements
     * in a row are lost. With independent loss {@code p} per datagram, an interval is lost with
     * {@code p^n}, and the expected false fail-overs over {@code A} advertisements are about
     * {@code A * p^(3n)}. At 20 ms intervals, 10 minutes are 30,000 advertisements: with 5%
     * loss, {@code n = 1} expects 30,000 * 0.05^3 = 3.75 false fail-overs, {@code n = 2} expects
     * 30,000 * 0.05^6 = 0.0005, while detection stays at the master-down interval (a longer dead
     * interval would be the other cure, and it costs detection time). Loss in bursts longer than
     * the copies (a congested or cut link) defeats copies; only longer intervals help there.
     *
     * <p>Cost: {@code n} times the heartbeat datagrams. {@link HeartbeatStats#sent()} still counts
     * advertisements; the receiver counts every copy it accepts and drops a late or reordered copy
     * as replayed.
     */
    public Builder advertisementCopies(int n) { advertisementCopies = n; return this; }

    public HeartbeatConfig build() {
      return new HeartbeatConfig(clusterId, groupId, Objects.requireNonNull(nodeId, "nodeId"), priority,
          advertisementInterval, preempt, preemptDelay, keys, destinations, trackWeights, virtualAddresses,
          stallThreshold, beforeMaster, beforeMasterTimeout, incarnations, advertisementCopies);
    }
  }
}
