package io.ha4j.ipvs.ipvsadm;

import io.ha4j.linux.Errno;
import org.jspecify.annotations.Nullable;

/**
 * What ipvsadm 1.31 prints for a kernel errno ({@code ipvs_strerror} in libipvs): first the
 * command-specific texts, then the general ones. Null when ipvsadm has no text for the pair (it
 * then prints {@code strerror}).
 */
final class IpvsadmMessages {

  private IpvsadmMessages() {}

  static @Nullable String of(IpvsadmCommand c, int errno) {
    Errno e = Errno.of(errno);
    if (e == null) {
      return null;
    }
    String specific = specific(c, e);
    if (specific != null) {
      return specific;
    }
    return switch (e) {
      case EPERM -> "Permission denied (you must be root)";
      case EINVAL -> "Invalid operation.  Possibly wrong module version, address not unicast, ...";
      case ENOPROTOOPT -> "Protocol not available";
      case ENOMEM -> "Memory allocation problem";
      case EOPNOTSUPP -> "Operation not supported with IPv6";
      case EAFNOSUPPORT -> "Operation not supported with specified address family";
      case EMSGSIZE -> "Module is wrong version";
      default -> null;
    };
  }

  private static @Nullable String specific(IpvsadmCommand c, Errno e) {
    if (c instanceof IpvsadmCommand.AddService) {
      return e == Errno.EEXIST ? "Service already exists"
          : e == Errno.ENOENT ? "Scheduler or persistence engine not found" : null;
    }
    if (c instanceof IpvsadmCommand.EditService) {
      return e == Errno.ESRCH ? "No such service"
          : e == Errno.ENOENT ? "Scheduler or persistence engine not found" : null;
    }
    if (c instanceof IpvsadmCommand.DeleteService || c instanceof IpvsadmCommand.Zero) {
      return e == Errno.ESRCH ? "No such service" : null;
    }
    if (c instanceof IpvsadmCommand.AddServer) {
      return e == Errno.ESRCH ? "Service not defined" : e == Errno.EEXIST ? "Destination already exists" : null;
    }
    if (c instanceof IpvsadmCommand.EditServer || c instanceof IpvsadmCommand.DeleteServer) {
      return e == Errno.ESRCH ? "Service not defined" : e == Errno.ENOENT ? "No such destination" : null;
    }
    if (c instanceof IpvsadmCommand.StartDaemon) {
      return e == Errno.EEXIST ? "Daemon has already run" : null;
    }
    if (c instanceof IpvsadmCommand.StopDaemon) {
      return e == Errno.ESRCH ? "No daemon is running" : null;
    }
    return null;
  }
}
