package io.ha4j.ipvs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ha4j.api.table.TableException.Reason;
import io.ha4j.netlink.NetlinkException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Kernel errnos of IPVS operations: numbers from asm-generic/errno-base.h and errno.h, meanings from ip_vs_ctl.c. */
class IpvsExceptionTest {

  /** errno | number | reason | where ip_vs_ctl.c (or the netlink core) answers it. */
  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(delimiter = '|', textBlock = """
      EPERM        | 1    | NOT_PERMITTED   | without CAP_NET_ADMIN
      ENOENT       | 2    | NOT_FOUND       | no such destination, scheduler or persistence engine
      ESRCH        | 3    | NO_SUCH_SERVICE | no such virtual service
      EEXIST       | 17   | EXISTS          | a duplicate service or destination
      ENODEV       | 19   | INVALID         | the sync daemon's interface is missing
      EINVAL       | 22   | INVALID         | a missing or malformed attribute
      EOPNOTSUPP   | 95   | INVALID         | a command the kernel does not know
      EAFNOSUPPORT | 97   | INVALID         | a family ip_vs was built without
      ENOBUFS      | 105  | OVERRUN         | the socket's receive queue overflowed
      ERANGE       | 34   | OTHER           | the lower threshold above the upper
      none         | 0    | OTHER           | no errno
      unknown      | 4242 | OTHER           | no such errno
      """)
  void reasonOfTheKernelsErrno(String name, int errno, Reason reason, String where) {
    assertEquals(reason, IpvsException.reasonOf(errno), where);
  }

  @Test
  void messageSaysWhatTheErrnoMeansForIpvsElseTheKernelsText() {
    IpvsException exists = IpvsException.of("add service",
        new NetlinkException(NetlinkException.Kind.KERNEL, 17, "refused", null, null));
    assertTrue(exists.getMessage().startsWith("add service: already exists"), exists.getMessage());
    IpvsException range = IpvsException.of("add real server",
        new NetlinkException(NetlinkException.Kind.KERNEL, 34, "refused", null, null));
    assertTrue(range.getMessage().startsWith("add real server: Math result not representable"), range.getMessage());
    IpvsException denied = IpvsException.of("open", new NetlinkException(NetlinkException.Kind.IO, 1, "socket", null, null));
    assertEquals(Reason.NOT_PERMITTED, denied.reason());
  }
}
