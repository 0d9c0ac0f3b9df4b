/**
 * ha4j's take-over warm-up: {@link io.ha4j.warmup.TakeOverWarmUp} runs a member's take-over on
 * throwaway copies so that the real one runs warm code. The one place where ha4j warms code; the
 * member, the election and the VIP owner hold none of it.
 */
module io.ha4j.warmup {
  requires transitive io.ha4j.core;
  requires transitive io.ha4j.heartbeat;
  requires io.ha4j.vip;
  requires io.ha4j.linux;
  requires org.slf4j;
  requires static org.jspecify;

  exports io.ha4j.warmup;
}
