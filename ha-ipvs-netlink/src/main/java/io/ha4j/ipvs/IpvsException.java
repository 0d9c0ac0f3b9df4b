package io.ha4j.ipvs;

import io.ha4j.api.table.TableException;
import io.ha4j.netlink.Netlink;
import io.ha4j.netlink.NetlinkException;
import org.jspecify.annotations.Nullable;

/**
 * The kernel IPVS table refused an operation or could not be reached: a {@link TableException}
 * with the errno, the extended-ack text and the operation, as ipvsadm would report it.
 */
public class IpvsException extends TableException {

  private static final long serialVersionUID = 1L;

  public IpvsException(Reason reason, int errno, String message, @Nullable String extendedAck,
      @Nullable Throwable cause) {
    super(reason, errno, message, extendedAck, cause);
  }

  /** Wraps a netlink failure of the operation described by {@code operation}. */
  public static IpvsException of(String operation, NetlinkException e) {
    Reason reason = switch (e.kind()) {
      case KERNEL -> reasonOf(e.errno());
      case TIMEOUT -> Reason.TIMEOUT;
      case OVERRUN -> Reason.OVERRUN;
      case PROTOCOL -> Reason.PROTOCOL;
      case IO -> e.errno() == Netlink.EPERM ? Reason.NOT_PERMITTED : Reason.OTHER;
      case UNAVAILABLE -> Reason.OTHER;
    };
    String what = e.kind() == NetlinkException.Kind.KERNEL ? describe(e.errno()) : e.detail();
    return new IpvsException(reason, e.errno(), operation + ": " + what, e.extendedAck(), e);
  }

  /** The reason for a kernel errno, with ipvsadm's meaning of each. */
  public static Reason reasonOf(int errno) {
    return switch (errno) {
      case Netlink.EEXIST -> Reason.EXISTS;
      case Netlink.ESRCH -> Reason.NO_SUCH_SERVICE;
      case Netlink.ENOENT -> Reason.NOT_FOUND;
      case Netlink.EPERM -> Reason.NOT_PERMITTED;
      case Netlink.EINVAL, Netlink.EAFNOSUPPORT, Netlink.EOPNOTSUPP, Netlink.ENODEV -> Reason.INVALID;
      case Netlink.ENOBUFS -> Reason.OVERRUN;
      default -> Reason.OTHER;
    };
  }

  private static String describe(int errno) {
    return switch (errno) {
      case Netlink.EEXIST -> "already exists";
      case Netlink.ESRCH -> "no such service";
      case Netlink.ENOENT -> "no such destination, scheduler or persistence engine";
      case Netlink.EPERM -> "permission denied (you must be root or have CAP_NET_ADMIN)";
      case Netlink.EINVAL -> "invalid argument";
      case Netlink.EBUSY -> "device or resource busy";
      case Netlink.EAFNOSUPPORT -> "address family not supported";
      default -> "kernel error";
    };
  }
}
