package io.ha4j.zookeeper;

import io.ha4j.api.NodeId;
import io.ha4j.api.Role;
import io.ha4j.api.election.ElectionListener;
import io.ha4j.api.election.RoleChange;
import io.ha4j.core.time.SystemScheduler;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** One member in a test: its election on its own scheduler, and what it reported, with the token. */
final class Candidacy implements AutoCloseable {

  /** A role change with the fencing token read in the listener, as a member would stamp it. */
  record Reported(RoleChange change, OptionalLong token) {}

  final SystemScheduler scheduler;
  final ZooKeeperElection election;
  final List<Reported> reported = new CopyOnWriteArrayList<>();

  Candidacy(String id, String connect, Duration session, Consumer<ZooKeeperElectionBuilder> settings) {
    scheduler = new SystemScheduler("zk-" + id);
    ZooKeeperElectionBuilder b = ZooKeeperElection.builder().nodeId(NodeId.of(id)).connectString(connect)
        .sessionTimeout(session).connectionTimeout(Duration.ofSeconds(2)).path("/test/group");
    settings.accept(b);
    election = b.build(scheduler);
    ZooKeeperElection e = election;
    election.addListener(new ElectionListener() {
      @Override
      public void onRoleChange(RoleChange change) {
        reported.add(new Reported(change, e.fencingToken()));
      }
    });
  }

  Candidacy start() {
    election.start();
    return this;
  }

  Role role() {
    return election.role();
  }

  /** The token of the last change to MASTER. */
  long lastToken() {
    for (int i = reported.size() - 1; i >= 0; i--) {
      Reported r = reported.get(i);
      if (r.change().to() == Role.MASTER) {
        return r.token().orElseThrow();
      }
    }
    throw new AssertionError(election.nodeId() + " never became master: " + reported);
  }

  /** The clock reading of the last change to {@code role}. */
  long lastAt(Role role) {
    for (int i = reported.size() - 1; i >= 0; i--) {
      if (reported.get(i).change().to() == role) {
        return reported.get(i).change().atNanos();
      }
    }
    throw new AssertionError(election.nodeId() + " never went " + role + ": " + reported);
  }

  @Override
  public void close() {
    election.close();
    scheduler.close();
  }
}
