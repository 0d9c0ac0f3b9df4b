package io.ha4j.it.core.member;

import io.ha4j.api.NodeId;
import io.ha4j.api.Role;
import io.ha4j.api.election.Election;
import io.ha4j.api.election.ElectionListener;
import io.ha4j.api.election.Tracked;
import io.ha4j.api.election.RoleChange;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** An election a test drives by hand, to check what a member does with each role. */
final class ScriptedElection implements Election {

  private final List<ElectionListener> listeners = new ArrayList<>();
  final Map<Tracked, Boolean> tracked = new HashMap<>();
  private Role role = Role.INIT;
  boolean started;
  boolean stoppedGracefully;
  int liveMembers = 2;
  /** Whether this member, as a backup, hears a master now. */
  boolean masterHeard;

  @Override
  public NodeId nodeId() {
    return NodeId.of("scripted");
  }

  @Override
  public void start() {
    started = true;
  }

  @Override
  public void stop() {
    stoppedGracefully = true;
    become(Role.INIT, "stop");
  }

  @Override
  public Role role() {
    return role;
  }

  @Override
  public int effectivePriority() {
    return 100;
  }

  @Override
  public boolean masterKnown() {
    return role == Role.MASTER || (role == Role.BACKUP && masterHeard);
  }

  @Override
  public int liveMembers() {
    return liveMembers;
  }

  @Override
  public boolean setTracked(Tracked object, boolean up) {
    tracked.put(object, up);
    return true;
  }

  @Override
  public void addListener(ElectionListener listener) {
    listeners.add(listener);
  }

  void become(Role to, String reason) {
    RoleChange c = new RoleChange(role, to, reason, 0);
    role = to;
    for (ElectionListener l : List.copyOf(listeners)) {
      l.onRoleChange(c);
    }
  }

  void reannounce(String reason) {
    for (ElectionListener l : List.copyOf(listeners)) {
      l.onReannounce(reason);
    }
  }

  @Override
  public void close() {
    stop();
  }
}
