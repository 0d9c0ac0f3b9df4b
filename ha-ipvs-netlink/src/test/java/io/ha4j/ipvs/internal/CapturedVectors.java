package io.ha4j.ipvs.internal;

import io.ha4j.netlink.NetlinkMessage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** The captured ipvsadm 1.31 traffic (vectors/ipvs-ipvsadm-netlink.hex), grouped by command. */
final class CapturedVectors {

  record Frame(boolean request, String hex) {
    NetlinkMessage message() {
      List<NetlinkMessage> ms = NetlinkMessage.parseAll(buffer(hex));
      if (ms.size() != 1) {
        throw new IllegalStateException("one message per line expected");
      }
      return ms.get(0);
    }
  }

  static Map<String, List<Frame>> load() throws IOException {
    Map<String, List<Frame>> out = new LinkedHashMap<>();
    try (InputStream in = Objects.requireNonNull(
            CapturedVectors.class.getResourceAsStream("/vectors/ipvs-ipvsadm-netlink.hex"));
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII))) {
      String section = null;
      Boolean pending = null;
      int dup = 0;
      for (String line; (line = r.readLine()) != null; ) {
        if (line.startsWith("## ")) {
          section = line.substring(3).trim();
          if (out.containsKey(section)) {
            section = section + " #" + (++dup + 1);
          }
          out.put(section, new ArrayList<>());
        } else if (line.startsWith("REQ ") || line.startsWith("RSP ")) {
          pending = line.startsWith("REQ ");
        } else if (pending != null && !line.isBlank() && section != null) {
          out.get(section).add(new Frame(pending, line.trim()));
          pending = null;
        }
      }
    }
    return out;
  }

  /** The IPVS-family frames (not the controller's) of a section. */
  static List<Frame> ipvs(List<Frame> frames, int familyId) {
    List<Frame> out = new ArrayList<>();
    for (Frame f : frames) {
      int type = f.message().type();
      if (type == familyId || (!f.request() && type != 0x10)) {
        out.add(f);
      }
    }
    return out;
  }

  /** The bytes of a hex string (whitespace ignored), in the host's order as netlink is. */
  static ByteBuffer buffer(String hex) {
    return ByteBuffer.wrap(HexFormat.of().parseHex(hex.replaceAll("\\s", ""))).order(ByteOrder.nativeOrder());
  }

  /** The remaining bytes of {@code b} in lower-case hex. */
  static String hex(ByteBuffer b) {
    byte[] bytes = new byte[b.remaining()];
    b.duplicate().get(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  private CapturedVectors() {}
}
