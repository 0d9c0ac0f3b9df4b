package io.ha4j.zookeeper;

import static io.ha4j.zookeeper.ZooKeeperElectionTest.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ha4j.api.Role;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The election against three in-process ZooKeeper servers (a quorum of two) with a 100 ms tick. */
class ZooKeeperEnsembleTest {

  private TestingCluster cluster;
  private final List<Candidacy> members = new ArrayList<>();

  @BeforeEach
  void startEnsemble() throws Exception {
    List<InstanceSpec> specs = new ArrayList<>();
    for (int id = 1; id <= 3; id++) {
      specs.add(new InstanceSpec(null, -1, -1, -1, true, id, 100, -1));
    }
    cluster = new TestingCluster(specs);
    cluster.start();
  }

  @AfterEach
  void stopAll() throws Exception {
    Candidacy.checkAndClose(members, cluster);
  }

  private Candidacy member(String id, int priority) {
    Candidacy c = new Candidacy(id, cluster.getConnectString(), ZooKeeperElectionTest.SESSION, b -> b.priority(priority));
    members.add(c);
    return c.start();
  }

  private Candidacy pairLedByN1() {
    Candidacy n1 = member("n1", 200);
    Candidacy n2 = member("n2", 100);
    await(() -> n1.role() == Role.MASTER && n2.election.liveMembers() == 2, "n1 leads 2");
    return n1;
  }

  @Test
  void losingTheMastersServerReleasesThenLeadsAgainThroughAnother() throws Exception {
    Candidacy n1 = pairLedByN1();
    long term = n1.lastToken();
    InstanceSpec its = cluster.findConnectionInstance(n1.election.curatorForTests().getZookeeperClient().getZooKeeper());
    long kill = System.nanoTime();
    assertTrue(cluster.killServer(its));
    await(() -> n1.reported.size() >= 4 && n1.role() == Role.MASTER, "n1 released and led again");
    System.out.printf("server of the master killed: released after %.1f ms, master again after %.1f ms (token %d -> %d)%n",
        (n1.lastAt(Role.BACKUP) - kill) / 1e6, (n1.lastAt(Role.MASTER) - kill) / 1e6, term, n1.lastToken());
    assertTrue(n1.lastToken() >= term);
  }

  @Test
  void losingTheEnsemblesLeaderKeepsOneMaster() throws Exception {
    Candidacy n1 = pairLedByN1();
    InstanceSpec leader = null;
    for (InstanceSpec s : cluster.getInstances()) {
      if (mode(s).equals("leader")) {
        leader = s;
      }
    }
    assertTrue(leader != null, "a quorum leader");
    long kill = System.nanoTime();
    assertTrue(cluster.killServer(leader));
    // Followers drop their clients when they lose the leader: n1 goes BACKUP, then leads again.
    await(() -> n1.reported.size() >= 4 && n1.role() == Role.MASTER, "n1 released and led again");
    System.out.printf("ensemble leader killed: n1 released after %.1f ms, master again after %.1f ms%n",
        (n1.lastAt(Role.BACKUP) - kill) / 1e6, (n1.lastAt(Role.MASTER) - kill) / 1e6);
  }

  /** The server's mode from its {@code srvr} four-letter command (the one allowed by default). */
  private static String mode(InstanceSpec s) throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), s.getPort())) {
      socket.getOutputStream().write("srvr".getBytes(StandardCharsets.US_ASCII));
      String reply = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
      for (String line : reply.split("\n")) {
        if (line.startsWith("Mode: ")) {
          return line.substring(6).trim();
        }
      }
      return "unknown";
    }
  }
}
