package io.ha4j.api.health;

import java.util.Objects;

/**
 * A change of a target's state or of its maintenance override, as told to listeners.
 *
 * @param target the id the target was registered under
 * @param previous the state before the change
 * @param current the state after the change (equal to {@code previous} when only the maintenance
 *     override changed)
 * @param maintenance the operator's override in force after the change
 * @param detail why: the detail of the check result that crossed the threshold, or the maintenance
 *     change
 */
public record HealthChange(
    String target, HealthState previous, HealthState current, Maintenance maintenance, String detail) {

  public HealthChange {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(previous, "previous");
    Objects.requireNonNull(current, "current");
    Objects.requireNonNull(maintenance, "maintenance");
    Objects.requireNonNull(detail, "detail");
  }
}
