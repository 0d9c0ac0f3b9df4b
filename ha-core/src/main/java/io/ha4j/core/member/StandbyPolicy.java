package io.ha4j.core.member;

import io.ha4j.api.member.ApplicationControl;
import io.ha4j.api.member.SpareActivation;
import java.time.Duration;
import java.util.Objects;

/**
 * How ready a backup is, in the terms of the classic LVS high-availability design.
 *
 * <ul>
 *   <li>{@link #hot()}: the backup keeps the load-balancer table programmed and receives the
 *       connection state through the IPVS sync daemon; taking over means only taking the virtual
 *       addresses. The default.
 *   <li>{@link #warm}: the application is stopped on a backup; the member starts it (through its
 *       {@link ApplicationControl}) on promotion before it takes the virtual addresses, and stops it
 *       on demotion.
 *   <li>{@link #cold}: as hot, plus a {@link SpareActivation} hook that powers up a spare machine
 *       when fewer members than a set count are alive.
 * </ul>
 */
public sealed interface StandbyPolicy permits StandbyPolicy.Hot, StandbyPolicy.Warm, StandbyPolicy.Cold {

  /** Hot standby, the default. */
  static Hot hot() {
    return Hot.INSTANCE;
  }

  /**
   * Warm standby: the application runs only on the master. A promoted member takes the virtual
   * addresses once {@code application} has started, or after {@code startTimeout} in any case (a
   * master with a cold application beats no master).
   */
  static Warm warm(ApplicationControl application, Duration startTimeout) {
    return new Warm(application, startTimeout);
  }

  /** Cold standby: {@code spare} is activated when fewer than {@code minimumLiveMembers} members live. */
  static Cold cold(SpareActivation spare, int minimumLiveMembers) {
    return new Cold(spare, minimumLiveMembers);
  }

  /** Hot standby: the table is kept ready, taking over is taking the virtual addresses. */
  record Hot() implements StandbyPolicy {
    private static final Hot INSTANCE = new Hot();
  }

  /** Warm standby: {@code application} runs only on the master; its start may take {@code startTimeout}. */
  record Warm(ApplicationControl application, Duration startTimeout) implements StandbyPolicy {
    public Warm {
      Objects.requireNonNull(application, "application");
      MemberBuilder.requirePositive("startTimeout", startTimeout);
    }
  }

  /** Cold standby: {@code spare} powers up a spare when fewer than {@code minimumLiveMembers} live. */
  record Cold(SpareActivation spare, int minimumLiveMembers) implements StandbyPolicy {
    public Cold {
      Objects.requireNonNull(spare, "spare");
      if (minimumLiveMembers < 1) {
        throw new IllegalArgumentException("minimumLiveMembers must be at least 1, was " + minimumLiveMembers);
      }
    }
  }
}
