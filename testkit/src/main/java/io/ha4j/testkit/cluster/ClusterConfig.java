package io.ha4j.testkit.cluster;

import io.ha4j.api.VirtualAddress;
import io.ha4j.testkit.net.LinkConditions;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The shape of a simulated cluster: its members (named {@code n1} .. {@code nN}, at
 * 198.51.100.11, .12, ...) with their priorities, the election settings they share, and the
 * network they talk over. Every member owns, when master, the one virtual address {@link #VIP}.
 *
 * @param priorities base priority (1..254) of each member, in member order; 2 to 9 members
 * @param preempt whether a higher-priority backup takes over from a lower-priority master
 * @param advertisementInterval the advertisement interval of every member (10 ms .. 10 s)
 * @param link the conditions of every link (delay, jitter, duplication, reordering; loss comes from
 *     {@link Fault.Loss} only, so that the stable periods of a run are known)
 * @param stallThreshold the election's stall threshold (fraction of the master-down interval)
 * @param realServers the real servers behind the virtual service and how every member checks them
 */
public record ClusterConfig(
    List<Integer> priorities, boolean preempt, Duration advertisementInterval, LinkConditions link,
    double stallThreshold, RealServerPool realServers) {

  /** The virtual address the master owns: 203.0.113.10/32 on eth0. */
  public static final VirtualAddress VIP = VirtualAddress.of(literal("203.0.113.10"), 32, "eth0");

  /** The tracked interface of every member; down means FAULT. */
  public static final String INTERFACE = "eth0";

  /** How much a failed tracked check ({@link Fault.PriorityDrop}) takes off a member's priority. */
  public static final int PRIORITY_DROP = 60;

  /** Most members in one cluster. */
  public static final int MAX_MEMBERS = 9;

  public ClusterConfig {
    priorities = List.copyOf(Objects.requireNonNull(priorities, "priorities"));
    if (priorities.size() < 2 || priorities.size() > MAX_MEMBERS) {
      throw new IllegalArgumentException("a cluster has 2.." + MAX_MEMBERS + " members, was " + priorities.size());
    }
    for (int p : priorities) {
      if (p < 1 || p > 254) {
        throw new IllegalArgumentException("priorities must be 1..254, was " + priorities);
      }
    }
    Objects.requireNonNull(advertisementInterval, "advertisementInterval");
    if (advertisementInterval.toMillis() < 10 || advertisementInterval.toMillis() > 10_000
        || !advertisementInterval.equals(Duration.ofMillis(advertisementInterval.toMillis()))) {
      throw new IllegalArgumentException(
          "advertisementInterval must be whole milliseconds in 10 ms .. 10 s, was " + advertisementInterval);
    }
    Objects.requireNonNull(link, "link");
    if (link.loss() != 0) {
      throw new IllegalArgumentException("link loss must be 0 (inject loss with Fault.Loss), was " + link.loss());
    }
    if (!(stallThreshold > 0 && stallThreshold <= 1)) {
      throw new IllegalArgumentException("stallThreshold must be in (0, 1], was " + stallThreshold);
    }
    Objects.requireNonNull(realServers, "realServers");
  }

  /** A cluster in front of {@link RealServerPool#DEFAULT}. */
  public ClusterConfig(
      List<Integer> priorities, boolean preempt, Duration advertisementInterval, LinkConditions link,
      double stallThreshold) {
    this(priorities, preempt, advertisementInterval, link, stallThreshold, RealServerPool.DEFAULT);
  }

  /**
   * {@code nodes} members with descending priorities 200, 190, ..., preempt on, 1 s advertisements
   * over a perfect LAN.
   */
  public static ClusterConfig of(int nodes) {
    List<Integer> p = new ArrayList<>();
    for (int i = 0; i < nodes; i++) {
      p.add(200 - 10 * i);
    }
    return new ClusterConfig(p, true, Duration.ofSeconds(1), LinkConditions.PERFECT, 0.25);
  }

  /** This cluster with other base priorities (and as many members as priorities). */
  public ClusterConfig withPriorities(List<Integer> p) {
    return new ClusterConfig(p, preempt, advertisementInterval, link, stallThreshold, realServers);
  }

  /** This cluster with preemption on or off. */
  public ClusterConfig withPreempt(boolean p) {
    return new ClusterConfig(priorities, p, advertisementInterval, link, stallThreshold, realServers);
  }

  /** This cluster with another advertisement interval. */
  public ClusterConfig withAdvertisementInterval(Duration d) {
    return new ClusterConfig(priorities, preempt, d, link, stallThreshold, realServers);
  }

  /** This cluster over links with other conditions (loss must stay 0; see {@link Fault.Loss}). */
  public ClusterConfig withLink(LinkConditions l) {
    return new ClusterConfig(priorities, preempt, advertisementInterval, l, stallThreshold, realServers);
  }

  /** This cluster in front of other real servers. */
  public ClusterConfig withRealServers(RealServerPool pool) {
    return new ClusterConfig(priorities, preempt, advertisementInterval, link, stallThreshold, pool);
  }

  /** Number of members. */
  public int size() {
    return priorities.size();
  }

  /** The members' names, {@code n1} .. {@code nN}. */
  public List<String> nodes() {
    List<String> names = new ArrayList<>();
    for (int i = 1; i <= priorities.size(); i++) {
      names.add("n" + i);
    }
    return names;
  }

  /** The base priority of member {@code node}. */
  public int priority(String node) {
    return priorities.get(index(node));
  }

  /** The heartbeat address of member {@code node}: 198.51.100.10 + its number. */
  public InetAddress address(String node) {
    return literal("198.51.100." + (10 + index(node) + 1));
  }

  int index(String node) {
    int i = node.startsWith("n") ? Integer.parseInt(node.substring(1)) - 1 : -1;
    if (i < 0 || i >= priorities.size()) {
      throw new IllegalArgumentException("no member '" + node + "' in a cluster of " + priorities.size());
    }
    return i;
  }

  /**
   * The text form, e.g. {@code nodes=3 prio=200,100,50 preempt=true adv=100ms delay=100us ... rs=2
   * check=1000ms timeout=500ms rise=1 fall=2 on-failure=remove}.
   */
  public String text() {
    StringBuilder b = new StringBuilder();
    b.append("nodes=").append(size()).append(" prio=");
    for (int i = 0; i < priorities.size(); i++) {
      b.append(i > 0 ? "," : "").append(priorities.get(i));
    }
    b.append(" preempt=").append(preempt)
        .append(" adv=").append(Scenario.formatDuration(advertisementInterval))
        .append(" delay=").append(Scenario.formatDuration(link.delay()))
        .append(" jitter=").append(Scenario.formatDuration(link.jitter()))
        .append(" dup=").append(link.duplication())
        .append(" reorder=").append(link.reordering())
        .append(" stall-threshold=").append(stallThreshold)
        .append(' ').append(realServers.text());
    return b.toString();
  }

  /** Parses {@link #text()}; missing keys keep the values of {@link #of(int) of(nodes)}. */
  public static ClusterConfig parse(String text) {
    ClusterConfig c = null;
    List<Integer> prio = null;
    Boolean preempt = null;
    Duration adv = null;
    Duration delay = null;
    Duration jitter = null;
    double dup = 0;
    double reorder = 0;
    double threshold = 0.25;
    RealServerPool d = RealServerPool.DEFAULT;
    int rs = d.size();
    Duration check = d.interval();
    Duration timeout = d.timeout();
    int rise = d.rise();
    int fall = d.fall();
    io.ha4j.api.reconcile.FailureMode onFailure = d.onFailure();
    for (String kv : text.trim().split("\\s+")) {
      int eq = kv.indexOf('=');
      if (eq < 0) {
        throw new IllegalArgumentException("expected key=value in cluster text, was '" + kv + "'");
      }
      String k = kv.substring(0, eq);
      String v = kv.substring(eq + 1);
      switch (k) {
        case "nodes" -> c = of(Integer.parseInt(v));
        case "prio" -> {
          prio = new ArrayList<>();
          for (String p : v.split(",")) {
            prio.add(Integer.parseInt(p));
          }
        }
        case "preempt" -> preempt = Boolean.parseBoolean(v);
        case "adv" -> adv = Scenario.parseDuration(v);
        case "delay" -> delay = Scenario.parseDuration(v);
        case "jitter" -> jitter = Scenario.parseDuration(v);
        case "dup" -> dup = Double.parseDouble(v);
        case "reorder" -> reorder = Double.parseDouble(v);
        case "stall-threshold" -> threshold = Double.parseDouble(v);
        case "rs" -> rs = Integer.parseInt(v);
        case "check" -> check = Scenario.parseDuration(v);
        case "timeout" -> timeout = Scenario.parseDuration(v);
        case "rise" -> rise = Integer.parseInt(v);
        case "fall" -> fall = Integer.parseInt(v);
        case "on-failure" -> onFailure = io.ha4j.api.reconcile.FailureMode.valueOf(v.toUpperCase(java.util.Locale.ROOT));
        default -> throw new IllegalArgumentException("unknown cluster key '" + k + "' in '" + text + "'");
      }
    }
    if (c == null) {
      c = prio != null ? of(prio.size()) : of(2);
    }
    LinkConditions l = new LinkConditions(0, delay != null ? delay : c.link.delay(),
        jitter != null ? jitter : c.link.jitter(), dup, reorder);
    return new ClusterConfig(prio != null ? prio : c.priorities, preempt != null ? preempt : c.preempt,
        adv != null ? adv : c.advertisementInterval, l, threshold,
        new RealServerPool(rs, check, timeout, rise, fall, onFailure));
  }

  private static InetAddress literal(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(literal, e);
    }
  }
}
