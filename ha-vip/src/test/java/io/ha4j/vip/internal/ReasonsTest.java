package io.ha4j.vip.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ha4j.api.address.AddressException.Reason;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Numbers from asm-generic/errno-base.h and errno.h; ENXIO is what net/packet/af_packet.c
 * packet_snd returns for an interface index that is gone, ENODEV what rtnetlink and
 * if_nametoindex do.
 */
class ReasonsTest {

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
      "EPERM, 1, NOT_PERMITTED",
      "EACCES, 13, NOT_PERMITTED",
      "ENODEV, 19, NO_SUCH_INTERFACE",
      "ENXIO, 6, NO_SUCH_INTERFACE",
      "EINVAL, 22, INVALID",
      "ENOENT, 2, OTHER",
      "ENETDOWN, 100, OTHER",
      "none, 0, OTHER",
      "unknown, 4242, OTHER"})
  void reasonOfTheErrno(String name, int errno, Reason reason) {
    assertEquals(reason, Reasons.forErrno(errno));
  }
}
