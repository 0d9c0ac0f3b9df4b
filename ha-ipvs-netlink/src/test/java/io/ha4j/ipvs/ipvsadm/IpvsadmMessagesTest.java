package io.ha4j.ipvs.ipvsadm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What ipvsadm 1.31 prints per errno (libipvs/libipvs.c ipvs_strerror), numbers from
 * asm-generic/errno-base.h and errno.h.
 */
class IpvsadmMessagesTest {

  private static IpvsadmCommand command(String... args) {
    return IpvsadmCommand.parse(List.of(args)).command();
  }

  @Test
  void commandSpecificTextsFirst() {
    IpvsadmCommand add = command("-A", "-t", "198.51.100.10:80", "-s", "rr");
    assertEquals("Service already exists", IpvsadmMessages.of(add, 17)); // EEXIST
    assertEquals("Scheduler or persistence engine not found", IpvsadmMessages.of(add, 2)); // ENOENT
    IpvsadmCommand edit = command("-E", "-t", "198.51.100.10:80", "-s", "wlc");
    assertEquals("No such service", IpvsadmMessages.of(edit, 3)); // ESRCH
    IpvsadmCommand addServer = command("-a", "-t", "198.51.100.10:80", "-r", "203.0.113.9:80");
    assertEquals("Service not defined", IpvsadmMessages.of(addServer, 3));
    assertEquals("Destination already exists", IpvsadmMessages.of(addServer, 17));
    IpvsadmCommand deleteServer = command("-d", "-t", "198.51.100.10:80", "-r", "203.0.113.9:80");
    assertEquals("No such destination", IpvsadmMessages.of(deleteServer, 2));
  }

  @Test
  void generalTextsThenNone() {
    IpvsadmCommand flush = command("-C");
    assertEquals("Permission denied (you must be root)", IpvsadmMessages.of(flush, 1)); // EPERM
    assertEquals("Memory allocation problem", IpvsadmMessages.of(flush, 12)); // ENOMEM
    assertEquals("Invalid operation.  Possibly wrong module version, address not unicast, ...",
        IpvsadmMessages.of(flush, 22)); // EINVAL
    assertEquals("Module is wrong version", IpvsadmMessages.of(flush, 90)); // EMSGSIZE
    assertEquals("Protocol not available", IpvsadmMessages.of(flush, 92)); // ENOPROTOOPT
    assertEquals("Operation not supported with IPv6", IpvsadmMessages.of(flush, 95)); // EOPNOTSUPP
    assertEquals("Operation not supported with specified address family", IpvsadmMessages.of(flush, 97));
    assertNull(IpvsadmMessages.of(flush, 17), "ipvsadm prints strerror then");
    assertNull(IpvsadmMessages.of(flush, 4242));
  }
}
