package io.ha4j.api.reconcile;

import io.ha4j.api.ServiceKey;
import io.ha4j.api.table.TableEntry;
import io.ha4j.api.table.TableOp;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What {@link Reconciler#plan} decided.
 *
 * @param ops the changes to apply, in an order the kernel accepts; empty when the table already
 *     holds the target
 * @param target the managed part of the table as it should be after {@code ops}: one entry per
 *     desired service, in the desired order (real servers in configured order, the sorry server
 *     last)
 * @param quorumLost the desired services without quorum after this plan; feed it to the next plan
 * @param quorumChanges services whose quorum changed against the previous state
 */
public record Plan(
    List<TableOp> ops, List<TableEntry> target, Set<ServiceKey> quorumLost, List<QuorumChange> quorumChanges) {

  public Plan {
    ops = List.copyOf(Objects.requireNonNull(ops, "ops"));
    target = List.copyOf(Objects.requireNonNull(target, "target"));
    quorumLost = Set.copyOf(Objects.requireNonNull(quorumLost, "quorumLost"));
    quorumChanges = List.copyOf(Objects.requireNonNull(quorumChanges, "quorumChanges"));
  }
}
