package io.ha4j.zookeeper.internal;

import io.ha4j.api.NodeId;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * A live candidate as its ephemeral sequential node's name tells it: {@code
 * c_<priority>_<p|n>_<node id in hex>_<sequence>}. The name carries everything the leader choice
 * needs, so one {@code getChildren} shows the whole field without a read per candidate; the node
 * id is hex because a {@link NodeId} may contain '/' and '_'.
 *
 * @param name the node's name under the candidates' path
 * @param priority the effective priority, 1 to 254 (255 for an address owner)
 * @param preempt whether this candidate takes over from a lower-priority leader
 * @param nodeId the member's id
 * @param sequence ZooKeeper's sequence suffix: the order in which the candidates joined
 */
public record Candidate(String name, int priority, boolean preempt, NodeId nodeId, long sequence) {

  /** The best first: higher priority, then the higher node id (as ties go in VRRP), then the older. */
  public static final Comparator<Candidate> BEST_FIRST = Comparator.comparingInt(Candidate::priority).reversed()
      .thenComparing(Candidate::nodeId, Comparator.reverseOrder())
      .thenComparingLong(Candidate::sequence);

  private static final String PREFIX = "c_";

  public Candidate {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(nodeId, "nodeId");
    if (priority < 1 || priority > 255) {
      throw new IllegalArgumentException("priority must be 1..255, was " + priority);
    }
  }

  /** The name prefix to create with {@code EPHEMERAL_SEQUENTIAL}; ZooKeeper appends the sequence. */
  public static String prefix(int priority, boolean preempt, NodeId nodeId) {
    return PREFIX + String.format(java.util.Locale.ROOT, "%03d", priority) + '_' + (preempt ? 'p' : 'n') + '_'
        + HexFormat.of().formatHex(nodeId.value().getBytes(StandardCharsets.UTF_8)) + '_';
  }

  /** The candidate a node named {@code name} stands for; empty for a name this election did not write. */
  public static Optional<Candidate> parse(String name) {
    String[] parts = name.split("_", -1);
    if (parts.length != 5 || !name.startsWith(PREFIX) || parts[3].isEmpty() || parts[3].length() % 2 != 0
        || !("p".equals(parts[2]) || "n".equals(parts[2]))) {
      return Optional.empty();
    }
    try {
      int priority = Integer.parseInt(parts[1]);
      NodeId id = new NodeId(new String(HexFormat.of().parseHex(parts[3]), StandardCharsets.UTF_8));
      long sequence = Long.parseLong(parts[4]);
      return Optional.of(new Candidate(name, priority, "p".equals(parts[2]), id, sequence));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
