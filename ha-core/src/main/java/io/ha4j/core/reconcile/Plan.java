package io.ha4j.core.reconcile;

import io.ha4j.api.ServiceKey;
import io.ha4j.api.table.TableEntry;
import io.ha4j.api.table.TableOp;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What {@link Reconciler#plan} decided.
 *
 * @param ops the changes to apply, in an order the kernel accepts; empty when the table already
 *     holds the target
 * @param target the managed part of the table as it should be after {@code ops}: one entry per
 *     desired service, in the desired order (real servers in configured order, the sorry server
 *     last)
 * @param quorum for each desired service, whether it has quorum after this plan; feed it to the
 *     next plan
 * @param quorumChanges services whose quorum changed against the previous state, and services
 *     seen for the first time that start without quorum
 */
public record Plan(
    List<TableOp> ops,
    List<TableEntry> target,
    Map<ServiceKey, Boolean> quorum,
    List<QuorumChange> quorumChanges) {

  public Plan {
    ops = List.copyOf(Objects.requireNonNull(ops, "ops"));
    target = List.copyOf(Objects.requireNonNull(target, "target"));
    quorum = Map.copyOf(Objects.requireNonNull(quorum, "quorum"));
    quorumChanges = List.copyOf(Objects.requireNonNull(quorumChanges, "quorumChanges"));
  }

  /** The desired services without quorum after this plan. */
  public Set<ServiceKey> quorumLost() {
    return quorum.entrySet().stream()
        .filter(e -> !e.getValue())
        .map(Map.Entry::getKey)
        .collect(Collectors.toUnmodifiableSet());
  }
}
