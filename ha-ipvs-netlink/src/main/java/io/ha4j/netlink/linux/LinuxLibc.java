package io.ha4j.netlink.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Structure;
import com.sun.jna.ptr.IntByReference;

/**
 * The libc calls a netlink socket needs. Every call declares {@link LastErrorException}, so a -1
 * return turns into an exception carrying {@code errno} (JNA reads it right after the call).
 */
public interface LinuxLibc extends Library {

  LinuxLibc INSTANCE = Native.load("c", LinuxLibc.class);

  int AF_NETLINK = 16;
  int SOCK_RAW = 3;
  int SOCK_CLOEXEC = 0x80000;
  int SOL_SOCKET = 1;
  int SO_SNDBUF = 7;
  int SO_RCVBUF = 8;
  int SO_RCVTIMEO = 20;
  int SO_RCVBUFFORCE = 33;
  int SOL_NETLINK = 270;
  int NETLINK_CAP_ACK = 10;
  int NETLINK_EXT_ACK = 11;
  int MSG_TRUNC = 0x20;
  int O_RDONLY = 0;
  int O_CLOEXEC = 0x80000;
  int CLONE_NEWNET = 0x40000000;

  /** {@code struct sockaddr_nl} ({@code linux/netlink.h}). */
  @Structure.FieldOrder({"nl_family", "nl_pad", "nl_pid", "nl_groups"})
  class SockaddrNl extends Structure {
    /** Address family: always AF_NETLINK. */
    public short nl_family = AF_NETLINK;
    /** Padding, zero. */
    public short nl_pad;
    /** Port id: 0 is the kernel; binding with 0 lets the kernel choose ours. */
    public int nl_pid;
    /** Multicast group bit mask; 0 for a request socket. */
    public int nl_groups;

    /** Size of the structure in bytes (12). */
    public static final int SIZE = 12;
  }

  /** {@code struct timeval} for {@code SO_RCVTIMEO}. */
  @Structure.FieldOrder({"tv_sec", "tv_usec"})
  class Timeval extends Structure {
    /** Whole seconds. */
    public NativeLong tv_sec = new NativeLong(0);
    /** Microseconds, 0..999999. */
    public NativeLong tv_usec = new NativeLong(0);
  }

  int socket(int domain, int type, int protocol) throws LastErrorException;

  int bind(int fd, SockaddrNl address, int addressLength) throws LastErrorException;

  int getsockname(int fd, SockaddrNl address, IntByReference addressLength) throws LastErrorException;

  int setsockopt(int fd, int level, int name, IntByReference value, int valueLength) throws LastErrorException;

  int setsockopt(int fd, int level, int name, Timeval value, int valueLength) throws LastErrorException;

  int close(int fd) throws LastErrorException;

  int open(String path, int flags) throws LastErrorException;

  int setns(int fd, int nstype) throws LastErrorException;
}
