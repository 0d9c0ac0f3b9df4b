package io.ha4j.core.member;

import io.ha4j.api.Scheduler;
import io.ha4j.api.election.ElectionListener;
import io.ha4j.api.election.RoleChange;
import java.util.function.Consumer;

/**
 * A member's listener on its election: hands each call to the member's scheduler. The election's
 * thread only queues (it never waits for the member's netlink and table work, so its adverts keep
 * time); when the election shares the member's scheduler, a role change runs at once instead, so
 * that a take-over's gratuitous ARP goes out before the tasks queued meanwhile.
 */
final class ElectionHandOff implements ElectionListener {

  private final Scheduler scheduler;
  private final Consumer<RoleChange> onRole;
  private final Consumer<String> onReannounce;

  ElectionHandOff(Scheduler scheduler, Consumer<RoleChange> onRole, Consumer<String> onReannounce) {
    this.scheduler = scheduler;
    this.onRole = onRole;
    this.onReannounce = onReannounce;
  }

  @Override
  public void onRoleChange(RoleChange change) {
    if (scheduler.inSchedulerThread()) {
      onRole.accept(change);
    } else {
      scheduler.execute(() -> onRole.accept(change));
    }
  }

  @Override
  public void onReannounce(String reason) {
    scheduler.execute(() -> onReannounce.accept(reason));
  }
}
