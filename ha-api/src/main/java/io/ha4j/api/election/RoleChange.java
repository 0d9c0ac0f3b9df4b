package io.ha4j.api.election;

import io.ha4j.api.Role;
import java.util.Objects;

/**
 * A member changed role.
 *
 * @param from the old role
 * @param to the new role
 * @param reason in the field's words, e.g. "master-down timer expired" or "higher priority 200
 *     from n2"
 * @param atNanos the {@link io.ha4j.api.Clock} reading when it happened
 */
public record RoleChange(Role from, Role to, String reason, long atNanos) {
  public RoleChange {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(reason, "reason");
  }

  @Override
  public String toString() {
    return from + " -> " + to + " (" + reason + ")";
  }
}
