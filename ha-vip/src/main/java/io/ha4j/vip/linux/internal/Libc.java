package io.ha4j.vip.linux.internal;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.ptr.IntByReference;

/**
 * The libc calls ha-vip needs for AF_PACKET frames and rtnetlink notifications. Socket addresses
 * are passed as byte arrays built by the callers, so no structure layout depends on JNA. Every call
 * declares {@link LastErrorException}: a -1 return becomes an exception carrying {@code errno}.
 */
public interface Libc extends Library {

  Libc INSTANCE = Native.load("c", Libc.class);

  int AF_NETLINK = 16;
  int AF_PACKET = 17;
  int SOCK_RAW = 3;
  int SOCK_CLOEXEC = 0x80000;
  int NETLINK_ROUTE = 0;
  int SOL_SOCKET = 1;
  int SO_RCVBUF = 8;
  int SO_RCVTIMEO = 20;
  int SO_RCVBUFFORCE = 33;
  int SO_ATTACH_FILTER = 26;
  int O_RDONLY = 0;
  int O_CLOEXEC = 0x80000;
  int CLONE_NEWNET = 0x40000000;
  int EINTR = 4;
  int EAGAIN = 11;
  int ENOBUFS = 105;

  /** {@code struct timeval} for {@code SO_RCVTIMEO}. */
  @Structure.FieldOrder({"tv_sec", "tv_usec"})
  class Timeval extends Structure {
    /** Whole seconds. */
    public NativeLong tv_sec = new NativeLong(0);
    /** Microseconds, 0..999999. */
    public NativeLong tv_usec = new NativeLong(0);
  }

  int socket(int domain, int type, int protocol) throws LastErrorException;

  int bind(int fd, byte[] address, int addressLength) throws LastErrorException;

  int setsockopt(int fd, int level, int name, IntByReference value, int valueLength) throws LastErrorException;

  int setsockopt(int fd, int level, int name, Timeval value, int valueLength) throws LastErrorException;

  int setsockopt(int fd, int level, int name, Pointer value, int valueLength) throws LastErrorException;

  NativeLong recv(int fd, byte[] buffer, NativeLong length, int flags) throws LastErrorException;

  int close(int fd) throws LastErrorException;

  int open(String path, int flags) throws LastErrorException;

  int setns(int fd, int nstype) throws LastErrorException;
}
