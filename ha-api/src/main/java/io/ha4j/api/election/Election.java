package io.ha4j.api.election;

import io.ha4j.api.NodeId;
import io.ha4j.api.Role;

/**
 * Master election between the members of one group: the heartbeat protocol of {@code
 * ha-heartbeat} or VRRPv3. Emits role changes with their reason.
 */
public interface Election extends AutoCloseable {

  /** This member's id. */
  NodeId nodeId();

  /** Starts taking part (INIT to BACKUP, or to MASTER for an address owner at priority 255). */
  void start();

  /**
   * Leaves gracefully: a master sends a priority-0 advertisement so that a backup takes over after
   * one skew time instead of the whole master-down interval. Ends in {@link Role#INIT}.
   */
  void stop();

  /** The current role. */
  Role role();

  /** The effective priority now, after tracked objects' weights (0 in FAULT). */
  int effectivePriority();

  /**
   * Reports the state of a tracked object (an interface, a health check, a script, a file). One
   * configured with a weight moves the priority: a down object with weight 0 puts the member in
   * FAULT; otherwise its weight is added to (up, positive weight) or subtracted from (down,
   * negative weight) the base priority. An object this election does not track is ignored: a
   * member reports every interface it uses, tracked or not.
   *
   * @return whether this election tracks {@code object}
   */
  boolean setTracked(Tracked object, boolean up);

  /**
   * Whether a master is known to exist now: this member is master, or it is a backup that heard a
   * master within the master-down interval. Feeds availability accounting.
   */
  default boolean masterKnown() {
    return role() == Role.MASTER;
  }

  /**
   * Members believed alive now, this one included: those heard within the master-down interval.
   * Feeds the cold-standby hook. An election that cannot tell reports 1.
   */
  default int liveMembers() {
    return 1;
  }

  /** Registers a listener. */
  void addListener(ElectionListener listener);

  /** Same as {@link #stop()}. */
  @Override
  void close();
}
