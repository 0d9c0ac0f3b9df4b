package io.ha4j.director;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * keepalived's conditional configuration lines (keepalived.conf(5), "Conditional configuration and
 * configuration id"): a line whose first word is {@code @ID} counts only on the node whose config
 * id is {@code ID}, one whose first word is {@code @^ID} only on the others; a conditional line
 * with nothing after its word counts nowhere. The config id is {@code --config-id}, by default the
 * node name up to its first dot (keepalived's {@code uname} nodename), read from the kernel
 * without asking DNS.
 *
 * <p>Applied to the text before it is read: the {@code @ID} word of a line that counts is
 * blanked, a line that does not count is emptied, so every error keeps its line and column.
 */
final class ConditionalLines {

  private ConditionalLines() {}

  /** {@code text} with its conditional lines applied for {@code configId}. */
  static String apply(String text, String configId) {
    StringBuilder out = new StringBuilder(text.length());
    int start = 0;
    while (start <= text.length()) {
      int end = text.indexOf('\n', start);
      String line = text.substring(start, end < 0 ? text.length() : end);
      out.append(line(line, configId));
      if (end < 0) {
        break;
      }
      out.append('\n');
      start = end + 1;
    }
    return out.toString();
  }

  private static String line(String line, String configId) {
    int at = 0;
    while (at < line.length() && (line.charAt(at) == ' ' || line.charAt(at) == '\t')) {
      at++;
    }
    if (at >= line.length() || line.charAt(at) != '@') {
      return line;
    }
    boolean not = at + 1 < line.length() && line.charAt(at + 1) == '^';
    int idStart = at + (not ? 2 : 1);
    int idEnd = idStart;
    while (idEnd < line.length() && line.charAt(idEnd) != ' ' && line.charAt(idEnd) != '\t') {
      idEnd++;
    }
    boolean matches = line.substring(idStart, idEnd).equals(configId);
    if (matches == not || line.substring(idEnd).isBlank()) {
      return "";
    }
    return line.substring(0, at) + " ".repeat(idEnd - at) + line.substring(idEnd);
  }

  /** The node name up to its first dot, as keepalived's default config id; "" if it cannot be read. */
  static String defaultConfigId() {
    @Nullable String name = null;
    try {
      name = Files.readString(Path.of("/proc/sys/kernel/hostname"), StandardCharsets.UTF_8).strip();
    } catch (IOException | RuntimeException e) {
      name = System.getenv("HOSTNAME");
    }
    if (name == null) {
      return "";
    }
    int dot = name.indexOf('.');
    return dot < 0 ? name : name.substring(0, dot);
  }
}
