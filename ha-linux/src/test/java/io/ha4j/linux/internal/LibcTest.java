package io.ha4j.linux.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import io.ha4j.linux.Errno;
import io.ha4j.linux.LinuxNative;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The one libc binding on loopback: layouts, errno and the shared send path. */
class LibcTest {

  @BeforeEach
  void needsLinux() {
    assumeTrue(LinuxNative.isAvailable(), () -> "skipped: " + LinuxNative.unavailabilityCause());
  }

  @Test
  void structureSizesAreTheKernelsOnLp64() {
    // linux/netlink.h: struct sockaddr_nl is 12 bytes; struct timeval is two C longs
    assertEquals(Libc.SockaddrNl.SIZE, new Libc.SockaddrNl().size());
    assertEquals(12, new Libc.SockaddrNl(0x111).size());
    Libc.Timeval tv = new Libc.Timeval(1_250_000);
    assertEquals(16, tv.size());
    assertEquals(1, tv.tv_sec);
    assertEquals(250_000, tv.tv_usec);
  }

  @Test
  void aFailedCallCarriesTheErrno_EBADF() {
    // asm-generic/errno-base.h: EBADF 9, what sendto on descriptor -1 gets (sendto(2))
    LastErrorException e = assertThrows(LastErrorException.class,
        () -> new NativeDatagram(8).sendto(-1, ByteBuffer.allocate(8), new byte[16]));
    assertEquals(Errno.EBADF.number(), e.getErrorCode());
    assertTrue(NativeWarmUp.sendPath());
  }

  @Test
  void aDatagramGoesOutThroughTheSharedSendPathAndComesBack() {
    Libc c = Libc.INSTANCE;
    int fd = c.socket(Libc.AF_INET, Libc.SOCK_DGRAM | Libc.SOCK_CLOEXEC, Libc.IPPROTO_UDP);
    try {
      byte[] loopback = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder()).putShort((short) Libc.AF_INET)
          .putShort((short) 0).put(new byte[] {127, 0, 0, 1}).array();
      c.bind(fd, loopback, loopback.length);
      byte[] bound = new byte[16];
      int[] length = {bound.length};
      c.getsockname(fd, bound, length);
      assertEquals(16, length[0]);
      Libc.Timeval timeout = new Libc.Timeval(2_000_000);
      c.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_RCVTIMEO, timeout, timeout.size());

      // Larger than the buffer asked for, from the middle of a heap buffer, then a direct one.
      NativeDatagram out = new NativeDatagram(4);
      byte[] payload = new byte[300];
      for (int i = 0; i < payload.length; i++) {
        payload[i] = (byte) i;
      }
      ByteBuffer heap = ByteBuffer.wrap(payload, 10, 200).slice();
      assertEquals(200, out.sendto(fd, heap, bound));
      assertEquals(0, heap.position(), "the datagram's position is left alone");
      ByteBuffer direct = ByteBuffer.allocateDirect(3).put(new byte[] {7, 8, 9}).flip();
      assertEquals(3, out.sendto(fd, direct, bound));

      Memory rx = new Memory(512);
      long n = c.recv(fd, rx, 512, 0);
      byte[] expected = new byte[200];
      System.arraycopy(payload, 10, expected, 0, 200);
      assertArrayEquals(expected, rx.getByteArray(0, (int) n));
      n = c.recv(fd, rx, 512, 0);
      assertArrayEquals(new byte[] {7, 8, 9}, rx.getByteArray(0, (int) n));
    } finally {
      c.close(fd);
    }
  }
}
