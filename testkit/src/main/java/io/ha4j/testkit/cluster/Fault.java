package io.ha4j.testkit.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A fault a {@link Scenario} injects into a simulated cluster: named values a test picks, in the
 * spirit of okhttp's {@code SocketPolicy}, each with a one-line text form ({@link #text()}, {@link
 * #parse}) so that a failing schedule can be printed and replayed.
 *
 * <p>Node faults name a member ({@code n1} .. {@code nN}); network faults act on the links between
 * members; real-server faults name a real server of the {@link RealServerPool} ({@code rs1} ..
 * {@code rsN}), which the members learn of only through their health checks.
 */
public sealed interface Fault {

  /** The text form, e.g. {@code crash n1}, {@code stall n2 1500ms}, {@code partition n1,n2|n3}. */
  String text();

  /** The member a node fault acts on, or null for a network fault. */
  default @org.jspecify.annotations.Nullable String node() {
    return null;
  }

  /** A fault that acts on one member. */
  sealed interface NodeFault extends Fault {
    @Override
    String node();
  }

  /** A fault that acts on the links between members. */
  sealed interface NetworkFault extends Fault {}

  /** A member's death without a word: its host's ({@link Crash}) or only its process's ({@link Kill}). */
  sealed interface Death extends NodeFault {}

  /** A node fault after which the member runs a new incarnation (booted, or stopped and booted). */
  sealed interface Boot extends NodeFault {}

  /** A fault of a real server behind the virtual service; the election does not see it. */
  sealed interface RealServerFault extends Fault {
    /** The real server, {@code rs1} .. {@code rs9}. */
    String realServer();
  }

  /** The real server dies: probes to it go unanswered until it is up again. */
  record RealServerDown(String realServer) implements RealServerFault {
    public RealServerDown {
      checkRealServer(realServer);
    }

    @Override
    public String text() {
      return "rs-down " + realServer;
    }
  }

  /** The real server answers again. */
  record RealServerUp(String realServer) implements RealServerFault {
    public RealServerUp {
      checkRealServer(realServer);
    }

    @Override
    public String text() {
      return "rs-up " + realServer;
    }
  }

  /**
   * The host dies: no priority-0 advertisement, its addresses vanish with it, and it falls silent:
   * its witness connections say nothing, and probes to it time out (the death witness concludes
   * nothing; the master-down timer decides).
   */
  record Crash(String node) implements Death {
    public Crash {
      checkNode(node);
    }

    @Override
    public String text() {
      return "crash " + node;
    }
  }

  /**
   * The member's process dies (kill -9, the OOM killer, a JVM crash) while its host stays up: no
   * priority-0 advertisement, but its kernel closes the process's witness connections and refuses
   * new ones, so that a backup's death witness takes over within {@link Invariant#W1}'s bound. The
   * host's kernels stay (a restart finds their state); the addresses count as no longer owned, as
   * nothing of the process answers for them any more (in the real kernel they stay configured
   * until the next incarnation releases them as stale).
   */
  record Kill(String node) implements Death {
    public Kill {
      checkNode(node);
    }

    @Override
    public String text() {
      return "kill " + node;
    }
  }

  /**
   * A middlebox or an attacker injects a reset into the witness connections between {@code a} and
   * {@code b}: the keyed connections drop it (TCP-MD5). Not a disturbance: the election must not
   * notice it, so a role change it causes is a false fail-over in a stable period.
   */
  record WitnessReset(String a, String b) implements NetworkFault {
    public WitnessReset {
      checkNode(a);
      checkNode(b);
      if (a.equals(b)) {
        throw new IllegalArgumentException("a reset needs two members, was " + a + "," + b);
      }
    }

    @Override
    public String text() {
      return "witness-reset " + a + "," + b;
    }
  }

  /** The member leaves gracefully: a master sends a priority-0 advertisement first. */
  record Stop(String node) implements NodeFault {
    public Stop {
      checkNode(node);
    }

    @Override
    public String text() {
      return "stop " + node;
    }
  }

  /**
   * The member starts again with a new incarnation: after a crash or stop it boots; while running
   * it is stopped gracefully first (a service restart).
   */
  record Restart(String node) implements Boot {
    public Restart {
      checkNode(node);
    }

    @Override
    public String text() {
      return "restart " + node;
    }
  }

  /**
   * The member restarts as {@link Restart} does, with its wall clock stepped back (a VM snapshot
   * restored, a start before NTP sync): its new incarnation is lower than every one before. Peers
   * that took it for a replay would leave two masters that hear each other, which {@link
   * Invariant#S1}, {@link Invariant#S2} and {@link Invariant#L3} report.
   */
  record ClockBack(String node) implements Boot {
    public ClockBack {
      checkNode(node);
    }

    @Override
    public String text() {
      return "clock-back " + node;
    }
  }

  /**
   * The member's scheduler stands still for {@code duration} (a GC pause, VM steal): its timers
   * fire late, and datagrams that arrive meanwhile wait in the socket until its timers have run.
   */
  record Stall(String node, Duration duration) implements NodeFault {
    public Stall {
      checkNode(node);
      Objects.requireNonNull(duration, "duration");
      if (duration.isNegative() || duration.isZero()) {
        throw new IllegalArgumentException("stall duration must be positive, was " + duration);
      }
    }

    @Override
    public String text() {
      return "stall " + node + " " + duration.toMillis() + "ms";
    }
  }

  /** A tracked health check with a negative weight fails: the member's priority drops. */
  record PriorityDrop(String node) implements NodeFault {
    public PriorityDrop {
      checkNode(node);
    }

    @Override
    public String text() {
      return "priority-drop " + node;
    }
  }

  /** The tracked health check recovers: the member's base priority is back. */
  record PriorityRestore(String node) implements NodeFault {
    public PriorityRestore {
      checkNode(node);
    }

    @Override
    public String text() {
      return "priority-restore " + node;
    }
  }

  /** The tracked interface goes down: the member enters FAULT (a master hands over first). */
  record InterfaceDown(String node) implements NodeFault {
    public InterfaceDown {
      checkNode(node);
    }

    @Override
    public String text() {
      return "ifdown " + node;
    }
  }

  /** The tracked interface is up again: the member leaves FAULT and starts over as a backup. */
  record InterfaceUp(String node) implements NodeFault {
    public InterfaceUp {
      checkNode(node);
    }

    @Override
    public String text() {
      return "ifup " + node;
    }
  }

  /**
   * The member's address kernel refuses to add addresses (ENOMEM) from now on, as under memory
   * pressure: a master that takes over cannot hold the VIP, retries, and within its hold bound goes
   * to FAULT with a priority-0 hand-over so that a peer holds it (issue 16 item 1).
   */
  record VipAddFailing(String node) implements NodeFault {
    public VipAddFailing {
      checkNode(node);
    }

    @Override
    public String text() {
      return "vip-add-fails " + node;
    }
  }

  /** The member's address kernel adds addresses again. */
  record VipAddWorking(String node) implements NodeFault {
    public VipAddWorking {
      checkNode(node);
    }

    @Override
    public String text() {
      return "vip-add-works " + node;
    }
  }

  /**
   * From now on the member's clock runs at {@code rate} times true time (1.1 = 10% fast), as a
   * drifting oscillator would; timers already set keep their true-time deadlines.
   */
  record ClockDrift(String node, double rate) implements NodeFault {
    public ClockDrift {
      checkNode(node);
      if (!(rate >= 0.5 && rate <= 2.0)) {
        throw new IllegalArgumentException("clock rate must be 0.5..2.0, was " + rate);
      }
    }

    @Override
    public String text() {
      return "drift " + node + " " + rate;
    }
  }

  /**
   * A two-way partition: every link between two different sides is cut, both ways. Members not
   * named keep their links to everyone.
   */
  record Partition(List<Set<String>> sides) implements NetworkFault {
    public Partition {
      Objects.requireNonNull(sides, "sides");
      List<Set<String>> copy = new ArrayList<>();
      Set<String> seen = new LinkedHashSet<>();
      for (Set<String> side : sides) {
        if (side.isEmpty()) {
          throw new IllegalArgumentException("partition sides must not be empty: " + sides);
        }
        for (String n : side) {
          checkNode(n);
          if (!seen.add(n)) {
            throw new IllegalArgumentException("member " + n + " is on two sides of partition " + sides);
          }
        }
        copy.add(Set.copyOf(new LinkedHashSet<>(side)));
      }
      if (copy.size() < 2) {
        throw new IllegalArgumentException("a partition needs at least two sides, was " + sides);
      }
      sides = List.copyOf(copy);
    }

    @Override
    public String text() {
      StringBuilder b = new StringBuilder("partition ");
      for (int i = 0; i < sides.size(); i++) {
        if (i > 0) {
          b.append('|');
        }
        b.append(String.join(",", sides.get(i).stream().sorted().toList()));
      }
      return b.toString();
    }
  }

  /** A one-way cut: nothing from {@code from} reaches {@code to}. */
  record Cut(String from, String to) implements NetworkFault {
    public Cut {
      checkNode(from);
      checkNode(to);
      if (from.equals(to)) {
        throw new IllegalArgumentException("a cut needs two members, was " + from + ">" + to);
      }
    }

    @Override
    public String text() {
      return "cut " + from + ">" + to;
    }
  }

  /** Every cut and partition is removed. */
  record Heal() implements NetworkFault {
    @Override
    public String text() {
      return "heal";
    }
  }

  /** Every link loses datagrams with probability {@code probability} from now on (0 ends it). */
  record Loss(double probability) implements NetworkFault {
    public Loss {
      if (!(probability >= 0 && probability <= 1)) {
        throw new IllegalArgumentException("loss must be a probability 0..1, was " + probability);
      }
    }

    @Override
    public String text() {
      return "loss " + probability;
    }
  }

  /**
   * The member restarts configured with {@code twin}'s node id, as when keepalived's sample
   * {@code router_id} is copied to both nodes: two members with one id from then on (issue 16
   * item 7). Only for two-member clusters: a third member cannot tell the twins' advertisements
   * apart.
   */
  record DuplicateId(String node, String twin) implements NodeFault {
    public DuplicateId {
      checkNode(node);
      checkNode(twin);
      if (node.equals(twin)) {
        throw new IllegalArgumentException("a duplicate id needs two members, was " + node + "=" + twin);
      }
    }

    @Override
    public String text() {
      return "duplicate-id " + node + "=" + twin;
    }
  }

  /**
   * {@code datagrams} random datagrams at the member's heartbeat port, spread over {@code
   * duration}, from a stranger's address and from the peers' addresses forged (issue 16 item 5).
   * Not a disturbance: the election must not notice it, so a role change it causes is a false
   * fail-over in a stable period.
   */
  record Flood(String node, int datagrams, Duration duration) implements NodeFault {
    public Flood {
      checkNode(node);
      if (datagrams < 1 || datagrams > 100_000) {
        throw new IllegalArgumentException("a flood is 1..100000 datagrams, was " + datagrams);
      }
      Objects.requireNonNull(duration, "duration");
      if (duration.isNegative()) {
        throw new IllegalArgumentException("flood duration must not be negative, was " + duration);
      }
    }

    @Override
    public String text() {
      return "flood " + node + " " + datagrams + " " + duration.toMillis() + "ms";
    }
  }

  /**
   * Parses the text form of a fault.
   *
   * @throws IllegalArgumentException naming the text if it is not a fault
   */
  static Fault parse(String text) {
    String[] w = text.trim().split("\\s+");
    try {
      return switch (w[0]) {
        case "crash" -> new Crash(w[1]);
        case "kill" -> new Kill(w[1]);
        case "witness-reset" -> {
          String[] ends = w[1].split(",");
          yield new WitnessReset(ends[0], ends[1]);
        }
        case "stop" -> new Stop(w[1]);
        case "restart" -> new Restart(w[1]);
        case "clock-back" -> new ClockBack(w[1]);
        case "stall" -> new Stall(w[1], Scenario.parseDuration(w[2]));
        case "priority-drop" -> new PriorityDrop(w[1]);
        case "priority-restore" -> new PriorityRestore(w[1]);
        case "ifdown" -> new InterfaceDown(w[1]);
        case "ifup" -> new InterfaceUp(w[1]);
        case "drift" -> new ClockDrift(w[1], Double.parseDouble(w[2]));
        case "vip-add-fails" -> new VipAddFailing(w[1]);
        case "vip-add-works" -> new VipAddWorking(w[1]);
        case "partition" -> {
          List<Set<String>> sides = new ArrayList<>();
          for (String side : w[1].split("\\|")) {
            sides.add(new LinkedHashSet<>(List.of(side.split(","))));
          }
          yield new Partition(sides);
        }
        case "cut" -> {
          String[] ends = w[1].split(">");
          yield new Cut(ends[0], ends[1]);
        }
        case "heal" -> new Heal();
        case "loss" -> new Loss(Double.parseDouble(w[1]));
        case "rs-down" -> new RealServerDown(w[1]);
        case "rs-up" -> new RealServerUp(w[1]);
        case "duplicate-id" -> {
          String[] pair = w[1].split("=");
          yield new DuplicateId(pair[0], pair[1]);
        }
        case "flood" -> new Flood(w[1], Integer.parseInt(w[2]), Scenario.parseDuration(w[3]));
        default -> throw new IllegalArgumentException("unknown fault '" + w[0] + "'");
      };
    } catch (ArrayIndexOutOfBoundsException | NumberFormatException e) {
      throw new IllegalArgumentException("not a fault: '" + text + "'", e);
    }
  }

  private static void checkNode(String node) {
    Objects.requireNonNull(node, "node");
    if (!node.matches("n[1-9]")) {
      throw new IllegalArgumentException("member names are n1..n9, was '" + node + "'");
    }
  }

  private static void checkRealServer(String name) {
    Objects.requireNonNull(name, "realServer");
    if (!name.matches("rs[1-9]")) {
      throw new IllegalArgumentException("real server names are rs1..rs9, was '" + name + "'");
    }
  }
}
