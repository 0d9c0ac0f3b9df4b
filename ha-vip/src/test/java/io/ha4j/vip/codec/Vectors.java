package io.ha4j.vip.codec;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the captured vectors in src/test/resources/vectors (from /work/shared/notes/vectors). */
final class Vectors {

  /** One captured message or frame: "REQ", "RSP" or "FRAME" and its bytes. */
  record Captured(String direction, byte[] bytes) {}

  private Vectors() {}

  /** Sections by "## title" (a title seen twice gets " #2"), each with its captured items in order. */
  static Map<String, List<Captured>> sections(String resource) throws IOException {
    String text;
    try (InputStream in = Vectors.class.getResourceAsStream("/vectors/" + resource)) {
      if (in == null) {
        throw new IOException("missing test resource /vectors/" + resource);
      }
      text = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    }
    Map<String, List<Captured>> out = new LinkedHashMap<>();
    List<Captured> current = new ArrayList<>();
    String pending = null;
    for (String line : text.split("\n")) {
      String l = line.strip();
      if (l.startsWith("## ")) {
        String title = l.substring(3);
        String key = title;
        for (int i = 2; out.containsKey(key); i++) {
          key = title + " #" + i;
        }
        current = new ArrayList<>();
        out.put(key, current);
      } else if (l.startsWith("FRAME ")) {
        current.add(new Captured("FRAME", HexFormat.of().parseHex(l.substring(6).strip())));
      } else if (l.startsWith("REQ ") || l.startsWith("RSP ")) {
        pending = l.substring(0, 3);
      } else if (pending != null && !l.isEmpty() && !l.startsWith("#")) {
        current.add(new Captured(pending, HexFormat.of().parseHex(l)));
        pending = null;
      }
    }
    return out;
  }
}
