package io.ha4j.api.election;

import io.ha4j.api.Role;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * A member changed role.
 *
 * @param from the old role
 * @param to the new role
 * @param reason in the field's words, e.g. "master-down timer expired" or "higher priority 200
 *     from n2"
 * @param atNanos the {@link io.ha4j.api.Clock} reading when it happened
 * @param lostMasterHeardAtNanos for a take-over because the previous master fell silent (its
 *     master-down timer ran out) or announced that it was leaving (priority 0): the clock reading
 *     of that master's last advertisement. Empty for other changes (first election, preemption,
 *     demotion). Availability accounting counts the outage from there, not from the take-over.
 */
public record RoleChange(Role from, Role to, String reason, long atNanos, OptionalLong lostMasterHeardAtNanos) {
  public RoleChange {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(lostMasterHeardAtNanos, "lostMasterHeardAtNanos");
    if (lostMasterHeardAtNanos.isPresent() && to != Role.MASTER) {
      throw new IllegalArgumentException("lostMasterHeardAtNanos is for a take-over, but the change is to " + to);
    }
  }

  /** A change that is not a take-over from a silent master. */
  public RoleChange(Role from, Role to, String reason, long atNanos) {
    this(from, to, reason, atNanos, OptionalLong.empty());
  }

  @Override
  public String toString() {
    return from + " -> " + to + " (" + reason + ")";
  }
}
