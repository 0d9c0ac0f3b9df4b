package io.ha4j.bench;

/** When in the advertisement cycle n1 is killed. */
enum KillPhase {
  /** At a planned fraction of an interval after an advertisement's arrival, the same for run r of each implementation. */
  LOCKED,
  /** At a random time of up to an interval after settling, independent per run: the old behaviour. */
  RANDOM
}
