package io.ha4j.testkit.vip;

import io.ha4j.netlink.NetlinkMessage;
import io.ha4j.vip.codec.Rtnetlink;

/**
 * The faults a test injects into the requests of a {@link FakeAddressKernel}: a refused request
 * (an errno, as for ENOMEM or EPERM) and a lost reply (the request is carried out, but no answer
 * comes: the client times out without knowing the outcome). Not thread-safe: the fake's lock
 * guards it.
 */
final class RequestFaults {

  private int nextErrno;
  private int addErrno;
  private int lostReplies;

  void failNext(int errno) {
    nextErrno = errno;
  }

  void failAdds(int errno) {
    addErrno = errno;
  }

  void loseReplies(int count) {
    if (count < 0) {
      throw new IllegalArgumentException("count must not be negative, was " + count);
    }
    lostReplies = count;
  }

  /** The errno {@code m} is refused with, or 0 to carry it out. */
  int refusal(NetlinkMessage m) {
    if (nextErrno != 0) {
      int errno = nextErrno;
      nextErrno = 0;
      return errno;
    }
    return m.type() == Rtnetlink.RTM_NEWADDR ? addErrno : 0;
  }

  /** Whether the answer to the request being handled is lost (counts it). */
  boolean loseReply() {
    if (lostReplies == 0) {
      return false;
    }
    lostReplies--;
    return true;
  }
}
