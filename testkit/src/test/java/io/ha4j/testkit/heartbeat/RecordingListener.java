package io.ha4j.testkit.heartbeat;

import io.ha4j.api.election.ElectionListener;
import io.ha4j.api.election.RoleChange;
import java.util.ArrayList;
import java.util.List;

/** Records what an election reports, in order. */
final class RecordingListener implements ElectionListener {
  final List<RoleChange> changes = new ArrayList<>();
  final List<String> reannounces = new ArrayList<>();

  @Override
  public void onRoleChange(RoleChange change) {
    changes.add(change);
  }

  @Override
  public void onReannounce(String reason) {
    reannounces.add(reason);
  }
}
