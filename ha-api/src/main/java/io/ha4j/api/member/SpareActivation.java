package io.ha4j.api.member;

/**
 * Brings a cold spare into the cluster (power it on, start its member) when too few members are
 * alive; the hook of a cold standby ({@code StandbyPolicy.cold} in ha-core).
 */
@FunctionalInterface
public interface SpareActivation {

  /**
   * Called once each time the number of live members drops below the configured minimum.
   *
   * @param liveMembers members alive now, this one included
   * @param minimum the configured minimum
   */
  void activate(int liveMembers, int minimum);
}
