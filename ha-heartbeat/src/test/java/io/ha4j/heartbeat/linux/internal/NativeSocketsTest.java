package io.ha4j.heartbeat.linux.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.LastErrorException;
import org.junit.jupiter.api.Test;

/** Numbers from asm-generic/errno-base.h; EAGAIN is what SO_RCVTIMEO ends a receive with (socket(7)). */
class NativeSocketsTest {

  @Test
  void onlyTheReceiveTimeoutAndASignalAreRetried() {
    assertTrue(NativeSockets.isRetry(new LastErrorException(11))); // EAGAIN
    assertTrue(NativeSockets.isRetry(new LastErrorException(4))); // EINTR
    assertFalse(NativeSockets.isRetry(new LastErrorException(9))); // EBADF
    assertFalse(NativeSockets.isRetry(new LastErrorException(100))); // ENETDOWN
  }

  @Test
  void errnoIsNamedWithTheKernelsText() {
    assertEquals("errno 19, ENODEV (No such device)", NativeSockets.errno(new LastErrorException(19)));
    assertEquals("errno 4242", NativeSockets.errno(new LastErrorException(4242)));
  }
}
