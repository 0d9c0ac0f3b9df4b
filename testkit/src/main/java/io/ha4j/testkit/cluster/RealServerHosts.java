package io.ha4j.testkit.cluster;

import io.ha4j.api.Scheduler;
import io.ha4j.api.transport.Datagram;
import io.ha4j.api.transport.DatagramTransport;
import io.ha4j.testkit.net.SimulatedNetwork;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The real servers of a {@link RealServerPool} on the simulated network: each answers every probe
 * datagram with the same bytes, as a live service answers a connect. A real server that is down is
 * not attached at all, so probes to it vanish as SYNs to a dead host do, and the members' checks
 * time out.
 */
final class RealServerHosts {

  private final RealServerPool pool;
  private final SimulatedNetwork network;
  private final Scheduler timeline;
  private final Map<String, DatagramTransport> up = new LinkedHashMap<>();

  RealServerHosts(RealServerPool pool, SimulatedNetwork network, Scheduler timeline) {
    this.pool = pool;
    this.network = network;
    this.timeline = timeline;
    pool.names().forEach(this::up);
  }

  boolean isUp(String name) {
    return up.containsKey(name);
  }

  void up(String name) {
    if (up.containsKey(name)) {
      return;
    }
    DatagramTransport t = network.attach(new InetSocketAddress(pool.address(name), RealServerPool.PORT), timeline);
    t.start((Datagram d) -> t.send(d.source(), d.payload()));
    up.put(name, t);
  }

  void down(String name) {
    pool.index(name);
    DatagramTransport t = up.remove(name);
    if (t != null) {
      t.close();
    }
  }
}
