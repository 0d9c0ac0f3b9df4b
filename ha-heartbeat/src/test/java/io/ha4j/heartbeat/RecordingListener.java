package io.ha4j.heartbeat;

import io.ha4j.api.election.ElectionListener;
import io.ha4j.api.election.RoleChange;
import java.util.ArrayList;
import java.util.List;

/** Records what an election reports, in order. */
/** Records an election's role changes and re-announcements, in order. */
public final class RecordingListener implements ElectionListener {
  public final List<RoleChange> changes = new ArrayList<>();
  public final List<String> reannounces = new ArrayList<>();

  @Override
  public void onRoleChange(RoleChange change) {
    changes.add(change);
  }

  @Override
  public void onReannounce(String reason) {
    reannounces.add(reason);
  }
}
