package io.ha4j.core.reconcile;

import io.ha4j.api.table.ApplyResult;
import io.ha4j.api.table.TableOp;
import io.ha4j.api.table.TableException;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of one {@link Reconciler#reconcile} pass. Failed ops are not retried within the pass;
 * the next pass reads the table again and plans whatever is still missing.
 *
 * @param plan what was planned (empty when the table could not be read)
 * @param result which of {@code plan.ops()} failed, with the kernel's reasons
 * @param error why the table could not be read or reached at all, or null
 */
public record ReconcileReport(Plan plan, ApplyResult result, @Nullable TableException error) {

  public ReconcileReport {
    Objects.requireNonNull(plan, "plan");
    Objects.requireNonNull(result, "result");
  }

  /** The ops issued to the table. */
  public List<TableOp> ops() {
    return plan.ops();
  }

  /** The table was reached and every op succeeded. */
  public boolean ok() {
    return error == null && result.ok();
  }
}
