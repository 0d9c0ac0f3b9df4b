package io.ha4j.core.member;

/** Receives a {@link Member}'s events, on the member's scheduler thread. */
@FunctionalInterface
public interface MemberListener {
  void onEvent(MemberEvent event);
}
