package io.ha4j.core.member;

import io.ha4j.api.member.ApplicationControl;
import io.ha4j.api.member.SpareActivation;

/**
 * How ready a backup is, in the terms of the classic LVS high-availability design.
 *
 * <ul>
 *   <li>{@link #HOT}: the backup keeps the load-balancer table programmed and receives the
 *       connection state through the IPVS sync daemon; taking over means only taking the virtual
 *       addresses. The default.
 *   <li>{@link #WARM}: the application is stopped on a backup; the member starts it (through its
 *       {@link ApplicationControl}) on promotion before it takes the virtual addresses, and stops it
 *       on demotion.
 *   <li>{@link #COLD}: as hot, plus a {@link SpareActivation} hook that powers up a spare machine
 *       when fewer members than a set count are alive.
 * </ul>
 */
public enum StandbyMode {
  HOT,
  WARM,
  COLD
}
