package io.ha4j.ipvs.ipvsadm;

import org.jspecify.annotations.Nullable;

/**
 * What ipvsadm 1.31 prints for a kernel errno ({@code ipvs_strerror} in libipvs): first the
 * command-specific texts, then the general ones. Null when ipvsadm has no text for the pair (it
 * then prints {@code strerror}).
 */
final class IpvsadmMessages {

  private IpvsadmMessages() {}

  private static final int EPERM = 1, ENOENT = 2, ESRCH = 3, ENOMEM = 12, EEXIST = 17, EINVAL = 22,
      EMSGSIZE = 90, ENOPROTOOPT = 92, EOPNOTSUPP = 95, EAFNOSUPPORT = 97;

  static @Nullable String of(IpvsadmCommand c, int errno) {
    String specific = specific(c, errno);
    if (specific != null) {
      return specific;
    }
    return switch (errno) {
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

  private static @Nullable String specific(IpvsadmCommand c, int errno) {
    if (c instanceof IpvsadmCommand.AddService) {
      return errno == EEXIST ? "Service already exists"
          : errno == ENOENT ? "Scheduler or persistence engine not found" : null;
    }
    if (c instanceof IpvsadmCommand.EditService) {
      return errno == ESRCH ? "No such service"
          : errno == ENOENT ? "Scheduler or persistence engine not found" : null;
    }
    if (c instanceof IpvsadmCommand.DeleteService || c instanceof IpvsadmCommand.Zero) {
      return errno == ESRCH ? "No such service" : null;
    }
    if (c instanceof IpvsadmCommand.AddServer) {
      return errno == ESRCH ? "Service not defined" : errno == EEXIST ? "Destination already exists" : null;
    }
    if (c instanceof IpvsadmCommand.EditServer || c instanceof IpvsadmCommand.DeleteServer) {
      return errno == ESRCH ? "Service not defined" : errno == ENOENT ? "No such destination" : null;
    }
    if (c instanceof IpvsadmCommand.StartDaemon) {
      return errno == EEXIST ? "Daemon has already run" : null;
    }
    if (c instanceof IpvsadmCommand.StopDaemon) {
      return errno == ESRCH ? "No daemon is running" : null;
    }
    return null;
  }
}
