package io.ha4j.core.reconcile;

/**
 * How the reconciler treats what the desired state leaves open.
 *
 * @param alpha keepalived's {@code alpha}: a real server whose checks have not concluded yet
 *     ({@link io.ha4j.api.health.HealthState#UNKNOWN}) counts as down. Off by default, as in
 *     keepalived and ldirectord: a new real server takes traffic until a check fails, so a
 *     restart does not take a healthy pool out of service while the first checks run. With
 *     {@code alpha} on, a restart quiesces or removes every real server until its first check
 *     passes, exactly as keepalived does.
 * @param removeUnmanaged delete virtual services found in the table that are not desired. Off by
 *     default: the reconciler manages only the services it is given and leaves the rest of the
 *     table alone (services added by hand with ipvsadm, or by another program, survive), which is
 *     what ldirectord and keepalived do. Turn it on only when this reconciler owns the whole
 *     table. Either way a desired service is owned whole once its key is desired: an entry with
 *     that key is adopted whoever made it, and real servers in it that are not configured (nor
 *     the sorry server) are deleted.
 */
public record ReconcileOptions(boolean alpha, boolean removeUnmanaged) {

  /** keepalived's and ldirectord's defaults: unknown counts as up, foreign services are left alone. */
  public static final ReconcileOptions DEFAULTS = new ReconcileOptions(false, false);

  public ReconcileOptions withAlpha(boolean on) {
    return new ReconcileOptions(on, removeUnmanaged);
  }

  public ReconcileOptions withRemoveUnmanaged(boolean on) {
    return new ReconcileOptions(alpha, on);
  }
}
