package io.ha4j.zookeeper.internal;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What a candidate does given the live candidates and who holds the leader node: the election's
 * rules in one pure function. The highest priority leads; a leader steps down only for a candidate
 * of higher priority that preempts (VRRP's preempt, decided by the newcomer's setting), and a
 * leader that is no longer a candidate (FAULT, leaving) steps down.
 */
public final class LeaderChoice {

  /** Who holds the leader node. */
  public enum Holder {
    /** Nobody: the node does not exist. */
    NONE,
    /** This member's session. */
    ME,
    /** Another session. */
    OTHER
  }

  /** What to do. */
  public enum Decision {
    /** No leader and this member is the best candidate: create the leader node. */
    CLAIM,
    /** This member holds the leader node and stays leader. */
    LEAD,
    /** This member holds the leader node but must give it up. */
    STEP_DOWN,
    /** Another member leads. */
    FOLLOW,
    /** No leader, and another candidate is the one to claim it. */
    WAIT
  }

  /**
   * A decision and why, in the field's words.
   *
   * @param decision what to do
   * @param reason why, for the log and the role change
   */
  public record Choice(Decision decision, String reason) {
    public Choice {
      Objects.requireNonNull(decision, "decision");
      Objects.requireNonNull(reason, "reason");
    }
  }

  private LeaderChoice() {}

  /**
   * Decides for the candidate named {@code mine} (null when this member is not a candidate now).
   *
   * @param candidates the live candidates, in any order
   * @param mine this member's candidate node name, or null
   * @param holder who holds the leader node
   */
  public static Choice decide(List<Candidate> candidates, @Nullable String mine, Holder holder) {
    Optional<Candidate> me = candidates.stream().filter(c -> c.name().equals(mine)).findFirst();
    switch (holder) {
      case OTHER:
        return new Choice(Decision.FOLLOW, "another member holds the leader node");
      case ME:
        if (me.isEmpty()) {
          return new Choice(Decision.STEP_DOWN, "no longer a candidate");
        }
        int mine0 = me.get().priority();
        Optional<Candidate> preemptor = candidates.stream()
            .filter(c -> c.preempt() && c.priority() > mine0 && !c.name().equals(mine))
            .min(Candidate.BEST_FIRST);
        return preemptor
            .map(c -> new Choice(Decision.STEP_DOWN, "preempted by higher priority " + c.priority() + " from " + c.nodeId()))
            .orElseGet(() -> new Choice(Decision.LEAD, "holds the leader node at priority " + mine0));
      case NONE:
      default:
        if (me.isEmpty()) {
          return new Choice(Decision.WAIT, "not a candidate");
        }
        Candidate best = candidates.stream().min(Candidate.BEST_FIRST).orElseThrow();
        return best.name().equals(mine)
            ? new Choice(Decision.CLAIM, "no leader; best of " + candidates.size() + " candidates at priority " + best.priority())
            : new Choice(Decision.WAIT, "no leader; " + best.nodeId() + " at priority " + best.priority() + " is best");
    }
  }
}
