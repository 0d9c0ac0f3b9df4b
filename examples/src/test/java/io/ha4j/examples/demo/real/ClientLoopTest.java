package io.ha4j.examples.demo.real;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ha4j.examples.demo.real.ClientLoop.Attempt;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The client-visible outage: the longest time between answers, the failures, when answers resumed. */
class ClientLoopTest {

  static Attempt ok(long start, long end) {
    return new Attempt(start, end, true, "rs1");
  }

  static Attempt fail(long start, long end) {
    return new Attempt(start, end, false, "SocketTimeoutException: timed out");
  }

  @Test
  void theGapRunsFromTheLastAnswerBeforeTheFailuresToTheFirstAfter() {
    List<Attempt> a = List.of(ok(0, 10), ok(50, 60), fail(100, 1100), fail(1150, 2150), ok(2200, 2210), ok(2250, 2260));
    assertEquals(new ClientLoop.Outage(2150, 2, 4, 2210), ClientLoop.outage(a, 80));
  }

  @Test
  void withoutFailuresTheGapIsTheSpacingOfTheAnswers() {
    List<Attempt> a = List.of(ok(0, 10), ok(50, 60), ok(100, 130));
    assertEquals(new ClientLoop.Outage(70, 0, 2, 60), ClientLoop.outage(a, 40));
  }

  @Test
  void answersThatNeverResumeSayMinusOne() {
    List<Attempt> a = List.of(ok(0, 10), fail(50, 1050));
    assertEquals(new ClientLoop.Outage(0, 1, 1, -1), ClientLoop.outage(a, 20));
  }
}
