package io.ha4j.ipvs;

import io.ha4j.api.table.TableException;
import io.ha4j.linux.Errno;
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
      case IO -> Errno.EPERM.is(e.errno()) ? Reason.NOT_PERMITTED : Reason.OTHER;
      case UNAVAILABLE -> Reason.OTHER;
    };
    String what = e.kind() == NetlinkException.Kind.KERNEL ? describe(e.errno()) : e.detail();
    return new IpvsException(reason, e.errno(), operation + ": " + what, e.extendedAck(), e);
  }

  /** The reason for a kernel errno, with ipvsadm's meaning of each. */
  public static Reason reasonOf(int errno) {
    Errno e = Errno.of(errno);
    if (e == null) {
      return Reason.OTHER;
    }
    return switch (e) {
      case EEXIST -> Reason.EXISTS;
      case ESRCH -> Reason.NO_SUCH_SERVICE;
      case ENOENT -> Reason.NOT_FOUND;
      case EPERM -> Reason.NOT_PERMITTED;
      case EINVAL, EAFNOSUPPORT, EOPNOTSUPP, ENODEV -> Reason.INVALID;
      case ENOBUFS -> Reason.OVERRUN;
      default -> Reason.OTHER;
    };
  }

  /** What an errno means for an IPVS operation (ip_vs_ctl.c), else the kernel's text for it. */
  private static String describe(int errno) {
    Errno e = Errno.of(errno);
    if (e == null) {
      return "kernel error";
    }
    return switch (e) {
      case EEXIST -> "already exists";
      case ESRCH -> "no such service";
      case ENOENT -> "no such destination, scheduler or persistence engine";
      case EPERM -> "permission denied (you must be root or have CAP_NET_ADMIN)";
      default -> e.text();
    };
  }
}
