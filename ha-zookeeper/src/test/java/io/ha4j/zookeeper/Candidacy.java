package io.ha4j.zookeeper;

import io.ha4j.api.NodeId;
import io.ha4j.api.Role;
import io.ha4j.api.election.ElectionListener;
import io.ha4j.api.election.RoleChange;
import io.ha4j.core.time.SystemScheduler;
import java.time.Duration;
import java.util.ArrayList;
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

  /**
   * The role of the last change the listener got: the election's own field changes just before
   * its listeners run, and a test must not look at {@link #reported} in between.
   */
  Role role() {
    int n = reported.size();
    return n == 0 ? Role.INIT : reported.get(n - 1).change().to();
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

  /** Checks {@link #assertNeverTwoMasters}, then closes the members and their ZooKeeper, also on failure. */
  static void checkAndClose(List<Candidacy> members, java.io.Closeable zookeeper) throws java.io.IOException {
    try {
      assertNeverTwoMasters(members);
    } finally {
      for (Candidacy m : members) {
        m.close();
      }
      zookeeper.close();
    }
  }

  /** At no instant did two members report MASTER (the listeners' clock readings, one JVM's clock). */
  static void assertNeverTwoMasters(List<Candidacy> members) {
    long now = System.nanoTime();
    List<long[]> spans = new ArrayList<>();
    for (int who = 0; who < members.size(); who++) {
      long start = -1;
      for (Reported r : members.get(who).reported) {
        if (r.change().to() == Role.MASTER) {
          start = r.change().atNanos();
        } else if (r.change().from() == Role.MASTER && start >= 0) {
          spans.add(new long[] {who, start, r.change().atNanos()});
          start = -1;
        }
      }
      if (start >= 0) {
        spans.add(new long[] {who, start, now});
      }
    }
    for (long[] a : spans) {
      for (long[] b : spans) {
        if (a[0] < b[0] && a[1] < b[2] && b[1] < a[2]) {
          throw new AssertionError("two masters: " + members.get((int) a[0]).election.nodeId() + " and "
              + members.get((int) b[0]).election.nodeId() + " for " + (Math.min(a[2], b[2]) - Math.max(a[1], b[1])) / 1e6 + " ms");
        }
      }
    }
  }

  @Override
  public void close() {
    election.close();
    scheduler.close();
  }
}
