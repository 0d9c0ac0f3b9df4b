package io.ha4j.it.zookeeper;

import io.ha4j.api.NodeId;
import io.ha4j.api.election.ElectionListener;
import io.ha4j.api.election.RoleChange;
import io.ha4j.core.time.SystemScheduler;
import io.ha4j.zookeeper.ZooKeeperElection;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * One member for {@link ZooKeeperNetnsIT}, a JVM of its own in a namespace: runs a {@link
 * ZooKeeperElection} and prints each role change as {@code ROLE <nanoTime> <from> <to> <token>}
 * (the monotonic clock all processes of the host share), flushed at once.
 *
 * <p>Arguments: node id, priority, connect string, session timeout in ms.
 */
public final class ZooKeeperMemberMain {

  private ZooKeeperMemberMain() {}

  public static void main(String[] args) throws InterruptedException {
    SystemScheduler scheduler = new SystemScheduler("zk-member");
    ZooKeeperElection election = ZooKeeperElection.builder().nodeId(NodeId.of(args[0]))
        .priority(Integer.parseInt(args[1])).connectString(args[2])
        .sessionTimeout(Duration.ofMillis(Long.parseLong(args[3]))).path("/it/group").build(scheduler);
    election.addListener(new ElectionListener() {
      @Override
      public void onRoleChange(RoleChange change) {
        System.out.println("ROLE " + change.atNanos() + " " + change.from() + " " + change.to() + " "
            + election.fencingToken().orElse(-1) + " " + change.reason());
        System.out.flush();
      }
    });
    election.start();
    new CountDownLatch(1).await();
  }
}
