package io.ha4j.heartbeat;

import io.ha4j.api.NodeId;
import io.ha4j.api.VirtualAddress;
import io.ha4j.api.election.Tracked;
import java.net.InetAddress;
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
 * The settings of one member of one election group: immutable, compared by value. Build one with
 * {@link #builder()}, or change one through {@link #toBuilder()}; {@link Builder#build()} checks
 * every setting and names the one that is wrong.
 */
public final class HeartbeatConfig {

  /** Priority of the address owner (RFC 5798 section 6.1). */
  public static final int OWNER_PRIORITY = 255;
  /** Shortest advertisement interval accepted. */
  public static final Duration MIN_INTERVAL = Duration.ofMillis(10);
  /** Most datagrams per advertisement ({@link #advertisementCopies()}). */
  public static final int MAX_ADVERTISEMENT_COPIES = 5;
  /** The default port of the death witness ({@link #witnessPort()}): the heartbeat's default 5405, plus 2. */
  public static final int DEFAULT_WITNESS_PORT = 5407;
  /** The default {@link #witnessProbeTimeout()}. */
  public static final Duration DEFAULT_WITNESS_PROBE_TIMEOUT = Duration.ofMillis(10);
  /** The default {@link #witnessStagger()}. */
  public static final Duration DEFAULT_WITNESS_STAGGER = Duration.ofNanos(50_000);
  /** The longest {@link #witnessStagger()} per priority step. */
  public static final Duration MAX_WITNESS_STAGGER = Duration.ofMillis(1);

  private static final SecureRandom RANDOM = new SecureRandom();

  private final int clusterId;
  private final int groupId;
  private final NodeId nodeId;
  private final int priority;
  private final Duration advertisementInterval;
  private final boolean preempt;
  private final Duration preemptDelay;
  private final List<HeartbeatKey> keys;
  private final List<InetSocketAddress> destinations;
  private final Map<Tracked, Integer> trackWeights;
  private final Set<VirtualAddress> virtualAddresses;
  private final double stallThreshold;
  private final BeforeMaster beforeMaster;
  private final Duration beforeMasterTimeout;
  private final LongSupplier incarnations;
  private final int advertisementCopies;
  private final boolean witness;
  private final int witnessPort;
  private final Duration witnessProbeTimeout;
  private final Duration witnessStagger;

  private HeartbeatConfig(Builder b, NodeId nodeId) {
    int groupId = b.groupId;
    if (groupId < 1 || groupId > 255) {
      throw new IllegalArgumentException("groupId must be 1..255, was " + groupId);
    }
    int priority = b.priority;
    if (priority < 1 || priority > OWNER_PRIORITY) {
      throw new IllegalArgumentException(
          "priority must be 1..254 (or 255 for the address owner), was " + priority);
    }
    Duration interval = Objects.requireNonNull(b.advertisementInterval, "advertisementInterval");
    if (interval.compareTo(MIN_INTERVAL) < 0 || interval.compareTo(Advertisement.MAX_INTERVAL) > 0
        || !interval.equals(Duration.ofMillis(interval.toMillis()))) {
      throw new IllegalArgumentException(
          "advertisementInterval must be whole milliseconds in 10 ms .. 1 h, was " + interval);
    }
    Duration preemptDelay = Objects.requireNonNull(b.preemptDelay, "preemptDelay");
    if (preemptDelay.isNegative()) {
      throw new IllegalArgumentException("preemptDelay must not be negative, was " + preemptDelay);
    }
    List<HeartbeatKey> keys = List.copyOf(b.keys);
    if (keys.isEmpty() || keys.size() > 2) {
      throw new IllegalArgumentException("keys must hold 1 or 2 keys (2 during a rollover), was " + keys.size());
    }
    if (keys.size() == 2 && keys.get(0).id() == keys.get(1).id()) {
      throw new IllegalArgumentException("keys must have distinct ids, key id " + keys.get(0).id() + " twice");
    }
    List<InetSocketAddress> destinations = List.copyOf(b.destinations);
    if (destinations.isEmpty()) {
      throw new IllegalArgumentException("destinations must name at least one peer or multicast group");
    }
    for (InetSocketAddress d : destinations) {
      if (d.isUnresolved()) {
        throw new IllegalArgumentException("destination " + d + " is unresolved");
      }
    }
    Map<Tracked, Integer> trackWeights = Map.copyOf(b.trackWeights);
    trackWeights.forEach((object, w) -> {
      if (w < -254 || w > 254) {
        throw new IllegalArgumentException("tracked " + object + " needs a weight in -254..254, was " + w);
      }
    });
    Set<VirtualAddress> virtualAddresses = Set.copyOf(b.virtualAddresses);
    double stallThreshold = b.stallThreshold;
    if (!(stallThreshold > 0 && stallThreshold <= 1)) {
      throw new IllegalArgumentException("stallThreshold must be in (0, 1], was " + stallThreshold);
    }
    BeforeMaster beforeMaster = Objects.requireNonNull(b.beforeMaster, "beforeMaster");
    Duration beforeMasterTimeout = Objects.requireNonNull(b.beforeMasterTimeout, "beforeMasterTimeout");
    if (beforeMasterTimeout.isNegative() || beforeMasterTimeout.isZero()) {
      throw new IllegalArgumentException("beforeMasterTimeout must be positive, was " + beforeMasterTimeout);
    }
    LongSupplier incarnations = Objects.requireNonNull(b.incarnations, "incarnations");
    int copies = b.advertisementCopies;
    if (copies < 1 || copies > MAX_ADVERTISEMENT_COPIES) {
      throw new IllegalArgumentException(
          "advertisementCopies must be 1.." + MAX_ADVERTISEMENT_COPIES + ", was " + copies);
    }
    int witnessPort = b.witnessPort;
    if (witnessPort < 1 || witnessPort > 65535) {
      throw new IllegalArgumentException("witnessPort must be 1..65535, was " + witnessPort);
    }
    Duration probeTimeout = Objects.requireNonNull(b.witnessProbeTimeout, "witnessProbeTimeout");
    if (probeTimeout.isNegative() || probeTimeout.isZero() || probeTimeout.compareTo(interval) > 0) {
      throw new IllegalArgumentException(
          "witnessProbeTimeout must be positive and at most the advertisement interval, was " + probeTimeout);
    }
    Duration stagger = Objects.requireNonNull(b.witnessStagger, "witnessStagger");
    if (stagger.isNegative() || stagger.compareTo(MAX_WITNESS_STAGGER) > 0) {
      throw new IllegalArgumentException("witnessStagger must be 0 .. 1 ms, was " + stagger);
    }
    this.clusterId = b.clusterId;
    this.groupId = groupId;
    this.nodeId = nodeId;
    this.priority = priority;
    this.advertisementInterval = interval;
    this.preempt = b.preempt;
    this.preemptDelay = preemptDelay;
    this.keys = keys;
    this.destinations = destinations;
    this.trackWeights = trackWeights;
    this.virtualAddresses = virtualAddresses;
    this.stallThreshold = stallThreshold;
    this.beforeMaster = beforeMaster;
    this.beforeMasterTimeout = beforeMasterTimeout;
    this.incarnations = incarnations;
    this.advertisementCopies = copies;
    this.witness = b.witness;
    this.witnessPort = witnessPort;
    this.witnessProbeTimeout = probeTimeout;
    this.witnessStagger = stagger;
  }

  /**
   * A builder with the defaults: group 1, priority 100, interval 1 s, preempt on, no preempt delay,
   * stall threshold 0.25, no before-master hook (timeout 5 s), wall-clock incarnations, one copy;
   * the death witness on, port {@value #DEFAULT_WITNESS_PORT}, probe timeout 10 ms, stagger 50 us.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder preset with every setting of this configuration (for a variant of it, or a reload). */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** The default incarnation source: wall-clock milliseconds shifted left 20 bits, plus 20 random bits. */
  public static long wallClockIncarnation() {
    return (System.currentTimeMillis() << 20) | (RANDOM.nextInt() & 0xfffff);
  }

  /** Any 32-bit value shared by the cluster; packets of other clusters are dropped. */
  public int clusterId() {
    return clusterId;
  }

  /** 1..255, the election group (like a VRRP VRID). */
  public int groupId() {
    return groupId;
  }

  /** This member. */
  public NodeId nodeId() {
    return nodeId;
  }

  /**
   * 1..254, or 255 for the address owner, which becomes master at once on start (RFC 5798 section
   * 6.4.1).
   */
  public int priority() {
    return priority;
  }

  /** How often a master advertises, 10 ms .. 1 h, whole milliseconds. */
  public Duration advertisementInterval() {
    return advertisementInterval;
  }

  /** Whether a higher-priority backup takes over from a lower-priority master. */
  public boolean preempt() {
    return preempt;
  }

  /**
   * After a start (or the end of a FAULT), preemption waits this long (keepalived's {@code
   * preempt_delay}); zero for none.
   */
  public Duration preemptDelay() {
    return preemptDelay;
  }

  /** 1 or 2 shared keys with distinct ids; the first signs, all are accepted. */
  public List<HeartbeatKey> keys() {
    return keys;
  }

  /** Where advertisements go: unicast peers and/or a multicast group. */
  public List<InetSocketAddress> destinations() {
    return destinations;
  }

  /**
   * The unicast peers' addresses, the only sources an advertisement may come from; null if a
   * destination is a multicast group (anyone may send) or unresolved.
   */
  public @Nullable Set<InetAddress> unicastPeers() {
    Set<InetAddress> peers = new LinkedHashSet<>();
    for (InetSocketAddress d : destinations) {
      InetAddress a = d.getAddress();
      if (a == null || a.isMulticastAddress()) {
        return null;
      }
      peers.add(a);
    }
    return peers;
  }

  /**
   * Tracked objects (interfaces, health checks, scripts, files) with their weight in -254..254: when
   * up, a positive weight is added to the priority; when down, a negative weight is added; a
   * weight-0 object that is down puts the member in FAULT (keepalived {@code
   * track_script}/{@code track_interface}).
   */
  public Map<Tracked, Integer> trackWeights() {
    return trackWeights;
  }

  /** The VIP set, whose digest is advertised so that a mismatch is noticed. */
  public Set<VirtualAddress> virtualAddresses() {
    return virtualAddresses;
  }

  /**
   * A timer that fires later than this fraction of the master-down interval is taken as a stall of
   * this process (GC pause, VM steal), in (0, 1].
   */
  public double stallThreshold() {
    return stallThreshold;
  }

  /** Runs before becoming master. */
  public BeforeMaster beforeMaster() {
    return beforeMaster;
  }

  /** How long {@link #beforeMaster()} may take. */
  public Duration beforeMasterTimeout() {
    return beforeMasterTimeout;
  }

  /** Gives the incarnation number on each start. */
  public LongSupplier incarnations() {
    return incarnations;
  }

  /**
   * How many datagrams carry each advertisement, 1..{@value #MAX_ADVERTISEMENT_COPIES} (default 1,
   * one datagram as in VRRP); see {@link Builder#advertisementCopies(int)}.
   */
  public int advertisementCopies() {
    return advertisementCopies;
  }

  /**
   * Whether the election keeps a death witness when it is given a {@link
   * io.ha4j.api.transport.WitnessTransport} and speaks ha4j's heartbeat (never with VRRPv3:
   * keepalived does not speak it): each backup holds an authenticated connection to the master, and
   * when the master's kernel closes it for a dead process, the backup takes over within
   * milliseconds instead of after the master-down interval (see the package {@code
   * io.ha4j.heartbeat.witness}). Default on.
   */
  public boolean witness() {
    return witness;
  }

  /**
   * The port of every member's witness endpoint; a backup connects to the address its master
   * advertises from, at this port. Default {@value #DEFAULT_WITNESS_PORT}.
   */
  public int witnessPort() {
    return witnessPort;
  }

  /**
   * How long a backup waits for the master's kernel to answer the probe that confirms a death
   * (a refused connection): its round trip plus a few milliseconds for a busy host. Only an answer
   * concludes; when the probe times out (the host is gone, the link is cut) nothing is concluded
   * and the master-down timer decides, so a longer timeout costs nothing but a later reconnect.
   * Default 10 ms; positive, at most the advertisement interval.
   */
  public Duration witnessProbeTimeout() {
    return witnessProbeTimeout;
  }

  /**
   * A backup that saw its master's process die takes over after {@code (255 - priority)} times
   * this, unless a new master announces itself first: the highest priority goes first, and the
   * others only when it did not announce within the difference. Default 50 us (priority 100: 7.75
   * ms; 200: 2.75 ms), 0 .. 1 ms.
   */
  public Duration witnessStagger() {
    return witnessStagger;
  }

  /**
   * Equal settings; the hook and the incarnation source compare as objects (the same hook, the same
   * source).
   */
  @Override
  public boolean equals(@Nullable Object o) {
    return o == this || (o instanceof HeartbeatConfig c
        && clusterId == c.clusterId && groupId == c.groupId && nodeId.equals(c.nodeId) && priority == c.priority
        && advertisementInterval.equals(c.advertisementInterval) && preempt == c.preempt
        && preemptDelay.equals(c.preemptDelay) && keys.equals(c.keys) && destinations.equals(c.destinations)
        && trackWeights.equals(c.trackWeights) && virtualAddresses.equals(c.virtualAddresses)
        && Double.compare(stallThreshold, c.stallThreshold) == 0 && beforeMaster.equals(c.beforeMaster)
        && beforeMasterTimeout.equals(c.beforeMasterTimeout) && incarnations.equals(c.incarnations)
        && advertisementCopies == c.advertisementCopies && witness == c.witness && witnessPort == c.witnessPort
        && witnessProbeTimeout.equals(c.witnessProbeTimeout) && witnessStagger.equals(c.witnessStagger));
  }

  @Override
  public int hashCode() {
    return Objects.hash(clusterId, groupId, nodeId, priority, advertisementInterval, preempt, preemptDelay, keys,
        destinations, trackWeights, virtualAddresses, stallThreshold, beforeMaster, beforeMasterTimeout,
        incarnations, advertisementCopies, witness, witnessPort, witnessProbeTimeout, witnessStagger);
  }

  /** Every setting, by name; keys show their ids and lengths, never their secrets. */
  @Override
  public String toString() {
    return "HeartbeatConfig[clusterId=" + clusterId + ", groupId=" + groupId + ", nodeId=" + nodeId
        + ", priority=" + priority + ", advertisementInterval=" + advertisementInterval + ", preempt=" + preempt
        + ", preemptDelay=" + preemptDelay + ", keys=" + keys + ", destinations=" + destinations
        + ", trackWeights=" + trackWeights + ", virtualAddresses=" + virtualAddresses
        + ", stallThreshold=" + stallThreshold + ", beforeMaster=" + beforeMaster
        + ", beforeMasterTimeout=" + beforeMasterTimeout + ", incarnations=" + incarnations
        + ", advertisementCopies=" + advertisementCopies + ", witness=" + witness + ", witnessPort=" + witnessPort
        + ", witnessProbeTimeout=" + witnessProbeTimeout + ", witnessStagger=" + witnessStagger + "]";
  }

  /**
   * Builds a {@link HeartbeatConfig}. Setters take any value; {@link #build()} checks them all and
   * throws {@link IllegalArgumentException} naming the first one that is out of range (or {@link
   * NullPointerException} naming one that is missing).
   */
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
    private boolean witness = true;
    private int witnessPort = DEFAULT_WITNESS_PORT;
    private Duration witnessProbeTimeout = DEFAULT_WITNESS_PROBE_TIMEOUT;
    private Duration witnessStagger = DEFAULT_WITNESS_STAGGER;

    private Builder() {}

    private Builder(HeartbeatConfig c) {
      clusterId = c.clusterId;
      groupId = c.groupId;
      nodeId = c.nodeId;
      priority = c.priority;
      advertisementInterval = c.advertisementInterval;
      preempt = c.preempt;
      preemptDelay = c.preemptDelay;
      keys.addAll(c.keys);
      destinations.addAll(c.destinations);
      trackWeights.putAll(c.trackWeights);
      virtualAddresses.addAll(c.virtualAddresses);
      stallThreshold = c.stallThreshold;
      beforeMaster = c.beforeMaster;
      beforeMasterTimeout = c.beforeMasterTimeout;
      incarnations = c.incarnations;
      advertisementCopies = c.advertisementCopies;
      witness = c.witness;
      witnessPort = c.witnessPort;
      witnessProbeTimeout = c.witnessProbeTimeout;
      witnessStagger = c.witnessStagger;
    }

    /** See {@link HeartbeatConfig#clusterId()}; default 0. */
    public Builder clusterId(int v) { clusterId = v; return this; }
    /** See {@link HeartbeatConfig#groupId()}; default 1. */
    public Builder groupId(int v) { groupId = v; return this; }
    /** This member; required. */
    public Builder nodeId(NodeId v) { nodeId = v; return this; }
    /** This member, by name; required. */
    public Builder nodeId(String v) { nodeId = NodeId.of(v); return this; }
    /** See {@link HeartbeatConfig#priority()}; default 100. */
    public Builder priority(int v) { priority = v; return this; }
    /** See {@link HeartbeatConfig#advertisementInterval()}; default 1 s. */
    public Builder advertisementInterval(Duration v) { advertisementInterval = v; return this; }
    /** See {@link HeartbeatConfig#preempt()}; default on. */
    public Builder preempt(boolean v) { preempt = v; return this; }
    /** See {@link HeartbeatConfig#preemptDelay()}; default none. */
    public Builder preemptDelay(Duration v) { preemptDelay = v; return this; }
    /** Adds a key; the first added signs. */
    public Builder key(HeartbeatKey v) { keys.add(v); return this; }
    /** Adds a key made of {@code id} and {@code secret}. */
    public Builder key(int id, byte[] secret) { return key(new HeartbeatKey(id, secret)); }
    /** Replaces the keys: the first signs, all are accepted (two during a rollover). */
    public Builder keys(List<HeartbeatKey> v) {
      keys.clear();
      keys.addAll(v);
      return this;
    }
    /** Adds a destination (a peer or a multicast group). */
    public Builder destination(InetSocketAddress v) { destinations.add(v); return this; }
    /** Adds destinations. */
    public Builder destinations(List<InetSocketAddress> v) { destinations.addAll(v); return this; }
    /** Tracks an object with a weight, or changes its weight (see {@link HeartbeatConfig#trackWeights()}). */
    public Builder track(Tracked object, int weight) { trackWeights.put(Objects.requireNonNull(object, "object"), weight); return this; }
    /** Adds a virtual address. */
    public Builder virtualAddress(VirtualAddress v) { virtualAddresses.add(v); return this; }
    /** See {@link HeartbeatConfig#stallThreshold()}; default 0.25. */
    public Builder stallThreshold(double v) { stallThreshold = v; return this; }
    /** Runs {@code hook} before becoming master, for at most {@code timeout}; default none. */
    public Builder beforeMaster(BeforeMaster hook, Duration timeout) {
      beforeMaster = hook;
      beforeMasterTimeout = timeout;
      return this;
    }
    /** See {@link HeartbeatConfig#incarnations()}; default {@link HeartbeatConfig#wallClockIncarnation()}. */
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

    /** See {@link HeartbeatConfig#witness()}; default on. */
    public Builder witness(boolean v) { witness = v; return this; }
    /** See {@link HeartbeatConfig#witnessPort()}; default {@value HeartbeatConfig#DEFAULT_WITNESS_PORT}. */
    public Builder witnessPort(int v) { witnessPort = v; return this; }
    /** See {@link HeartbeatConfig#witnessProbeTimeout()}; default 10 ms. */
    public Builder witnessProbeTimeout(Duration v) { witnessProbeTimeout = v; return this; }
    /** See {@link HeartbeatConfig#witnessStagger()}; default 50 us per priority step. */
    public Builder witnessStagger(Duration v) { witnessStagger = v; return this; }

    /** The configuration, once every setting is checked. */
    public HeartbeatConfig build() {
      return new HeartbeatConfig(this, Objects.requireNonNull(nodeId, "nodeId"));
    }
  }
}
