package io.ha4j.vip.codec;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * An Ethernet frame carrying an ARP packet for IPv4 over Ethernet (RFC 826), as put on the wire by
 * an {@code AF_PACKET}/{@code SOCK_RAW} socket: 14-byte Ethernet header plus the 28-byte ARP body,
 * without padding (the NIC pads to the 60-byte minimum).
 *
 * @param destination Ethernet destination
 * @param source Ethernet source
 * @param operation request or reply
 * @param senderHardware ARP SHA
 * @param senderAddress ARP SPA
 * @param targetHardware ARP THA
 * @param targetAddress ARP TPA
 */
public record ArpFrame(
    MacAddress destination,
    MacAddress source,
    Operation operation,
    MacAddress senderHardware,
    Inet4Address senderAddress,
    MacAddress targetHardware,
    Inet4Address targetAddress) {

  /** Ethernet type of ARP. */
  public static final int ETH_P_ARP = 0x0806;
  /** Bytes of an encoded frame. */
  public static final int LENGTH = 42;

  private static final int ARPHRD_ETHER = 1;
  private static final int ETH_P_IP = 0x0800;

  /** ARP opcode. */
  public enum Operation {
    REQUEST(1),
    REPLY(2);

    private final int code;

    Operation(int code) {
      this.code = code;
    }

    /** The ARP opcode number. */
    public int code() {
      return code;
    }
  }

  /** Which gratuitous ARP to send. */
  public enum GratuitousKind {
    /**
     * An ARP request for our own address, as keepalived and {@code arping -U} send it: THA is
     * ff:ff:ff:ff:ff:ff (not zero as RFC 5227 probes have it).
     */
    REQUEST,
    /** An ARP reply for our own address, as {@code arping -A} sends it: THA is our own MAC. */
    REPLY
  }

  public ArpFrame {
    Objects.requireNonNull(destination, "destination");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(operation, "operation");
    Objects.requireNonNull(senderHardware, "senderHardware");
    Objects.requireNonNull(senderAddress, "senderAddress");
    Objects.requireNonNull(targetHardware, "targetHardware");
    Objects.requireNonNull(targetAddress, "targetAddress");
  }

  /**
   * A gratuitous ARP announcing that {@code address} is at {@code mac}: SPA = TPA = address,
   * Ethernet destination broadcast (captured from keepalived 2.2.7 and iputils arping, see the
   * golden test).
   */
  public static ArpFrame gratuitous(GratuitousKind kind, MacAddress mac, Inet4Address address) {
    return switch (kind) {
      case REQUEST -> new ArpFrame(
          MacAddress.BROADCAST, mac, Operation.REQUEST, mac, address, MacAddress.BROADCAST, address);
      case REPLY -> new ArpFrame(
          MacAddress.BROADCAST, mac, Operation.REPLY, mac, address, mac, address);
    };
  }

  /** True when sender and target protocol addresses are the same: an announcement. */
  public boolean isGratuitous() {
    return senderAddress.equals(targetAddress);
  }

  /** The 42-byte frame. */
  public byte[] toBytes() {
    ByteBuffer out = ByteBuffer.allocate(LENGTH);
    write(out);
    return out.array();
  }

  /** Writes the frame at the buffer's position (network byte order regardless of the buffer's order). */
  public void write(ByteBuffer out) {
    destination.write(out);
    source.write(out);
    putShort(out, ETH_P_ARP);
    putShort(out, ARPHRD_ETHER);
    putShort(out, ETH_P_IP);
    out.put((byte) MacAddress.LENGTH);
    out.put((byte) 4);
    putShort(out, operation.code);
    senderHardware.write(out);
    out.put(senderAddress.getAddress());
    targetHardware.write(out);
    out.put(targetAddress.getAddress());
  }

  /**
   * Decodes a frame (trailing padding is ignored).
   *
   * @throws MalformedFrameException if it is not Ethernet/IPv4 ARP
   */
  public static ArpFrame decode(ByteBuffer in) {
    if (in.remaining() < LENGTH) {
      throw new MalformedFrameException("ARP frame needs " + LENGTH + " bytes, has " + in.remaining());
    }
    MacAddress dst = MacAddress.read(in);
    MacAddress src = MacAddress.read(in);
    int ethType = getShort(in);
    if (ethType != ETH_P_ARP) {
      throw new MalformedFrameException("ethertype is 0x" + Integer.toHexString(ethType) + ", not ARP");
    }
    int htype = getShort(in);
    int ptype = getShort(in);
    int hlen = in.get() & 0xff;
    int plen = in.get() & 0xff;
    if (htype != ARPHRD_ETHER || ptype != ETH_P_IP || hlen != 6 || plen != 4) {
      throw new MalformedFrameException(
          "not Ethernet/IPv4 ARP: htype " + htype + " ptype 0x" + Integer.toHexString(ptype)
              + " hlen " + hlen + " plen " + plen);
    }
    int op = getShort(in);
    Operation operation;
    if (op == 1) {
      operation = Operation.REQUEST;
    } else if (op == 2) {
      operation = Operation.REPLY;
    } else {
      throw new MalformedFrameException("ARP opcode " + op + " is neither request nor reply");
    }
    MacAddress sha = MacAddress.read(in);
    Inet4Address spa = readInet4(in);
    MacAddress tha = MacAddress.read(in);
    Inet4Address tpa = readInet4(in);
    return new ArpFrame(dst, src, operation, sha, spa, tha, tpa);
  }

  static Inet4Address readInet4(ByteBuffer in) {
    byte[] a = new byte[4];
    in.get(a);
    try {
      return (Inet4Address) InetAddress.getByAddress(a);
    } catch (UnknownHostException e) {
      throw new AssertionError("4 bytes are always an IPv4 address", e);
    }
  }

  static void putShort(ByteBuffer out, int v) {
    out.put((byte) (v >>> 8));
    out.put((byte) v);
  }

  static int getShort(ByteBuffer in) {
    return ((in.get() & 0xff) << 8) | (in.get() & 0xff);
  }

  @Override
  public String toString() {
    return "ARP " + operation + " " + senderAddress.getHostAddress() + " is-at " + senderHardware
        + " (tpa " + targetAddress.getHostAddress() + " tha " + targetHardware + ") " + source + " > "
        + destination;
  }
}
