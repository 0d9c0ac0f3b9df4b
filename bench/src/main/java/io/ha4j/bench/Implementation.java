package io.ha4j.bench;

/** What the fail-over benchmark runs as a director pair. */
enum Implementation {
  /** ha4j's director JVMs ({@code DirectorMain --no-ipvs}). */
  HA4J,
  /** keepalived's VRRP daemons. */
  KEEPALIVED
}
