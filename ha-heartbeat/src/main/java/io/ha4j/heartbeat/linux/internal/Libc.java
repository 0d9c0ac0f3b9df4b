package io.ha4j.heartbeat.linux.internal;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;

/**
 * The libc calls of the raw VRRP socket and of the timestamped UDP heartbeat socket. A sibling of
 * ha-vip's binding ({@code io.ha4j.vip.linux.internal.Libc}), kept separate because ha-heartbeat
 * depends on ha-api only.
 * Socket addresses and option values are byte arrays in native byte order built by the caller, so
 * no structure layout depends on JNA. A -1 return becomes a {@link LastErrorException} with errno.
 */
public interface Libc extends Library {

  Libc INSTANCE = Native.load("c", Libc.class);

  int AF_INET = 2;
  int AF_INET6 = 10;
  int SOCK_DGRAM = 2;
  int SOCK_RAW = 3;
  int IPPROTO_UDP = 17;
  int SOCK_CLOEXEC = 0x80000;
  int SOL_SOCKET = 1;
  int SO_RCVTIMEO = 20;
  int SO_BINDTODEVICE = 25;
  int IPPROTO_IP = 0;
  int IP_TOS = 1;
  int IP_TTL = 2;
  int IP_MULTICAST_IF = 32;
  int IP_MULTICAST_TTL = 33;
  int IP_MULTICAST_LOOP = 34;
  int IP_ADD_MEMBERSHIP = 35;
  int IPPROTO_IPV6 = 41;
  int IPV6_UNICAST_HOPS = 16;
  int IPV6_MULTICAST_IF = 17;
  int IPV6_MULTICAST_HOPS = 18;
  int IPV6_MULTICAST_LOOP = 19;
  int IPV6_ADD_MEMBERSHIP = 20;
  int IPV6_RECVPKTINFO = 49;
  int IPV6_PKTINFO = 50;
  int IPV6_RECVHOPLIMIT = 51;
  int IPV6_HOPLIMIT = 52;
  int IPV6_TCLASS = 67;
  int O_RDONLY = 0;
  int O_CLOEXEC = 0x80000;
  int CLONE_NEWNET = 0x40000000;
  int EINTR = 4;
  int EAGAIN = 11;

  int socket(int domain, int type, int protocol) throws LastErrorException;

  int setsockopt(int fd, int level, int name, byte[] value, int valueLength) throws LastErrorException;

  NativeLong sendto(int fd, byte[] buffer, NativeLong length, int flags, byte[] to, int toLength)
      throws LastErrorException;

  NativeLong recv(int fd, byte[] buffer, NativeLong length, int flags) throws LastErrorException;

  NativeLong recvmsg(int fd, Pointer message, int flags) throws LastErrorException;

  int bind(int fd, byte[] address, int addressLength) throws LastErrorException;

  int getsockname(int fd, byte[] address, int[] addressLength) throws LastErrorException;

  int if_nametoindex(String name) throws LastErrorException;

  int close(int fd) throws LastErrorException;

  int open(String path, int flags) throws LastErrorException;

  int setns(int fd, int nstype) throws LastErrorException;
}
