package io.ha4j.director;

import io.ha4j.api.VirtualAddress;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The words of one configuration file read as values (integers, addresses, interface names), each
 * problem a {@link ConfigException} at the token concerned ({@code file:line:column}), and the
 * file's warnings in the same form.
 */
final class ConfigWords {

  private final String file;
  private final List<String> warnings = new ArrayList<>();

  ConfigWords(String file) {
    this.file = file;
  }

  String file() {
    return file;
  }

  /** The warnings so far, in file order. */
  List<String> warnings() {
    return List.copyOf(warnings);
  }

  void warn(ConfigToken at, String text) {
    warnings.add(file + ":" + at.line() + ":" + at.column() + ": " + text);
  }

  ConfigException error(ConfigToken at, String problem) {
    return new ConfigException(file, at, problem);
  }

  /** {@code t} as an integer in {@code min..max}; the error names it {@code what}. */
  int integer(ConfigToken t, int min, int max, String what) throws ConfigException {
    try {
      int v = Integer.parseInt(t.text());
      if (v >= min && v <= max) {
        return v;
      }
    } catch (NumberFormatException e) {
      // reported below, with the range
    }
    throw error(t, what + " must be an integer in " + min + ".." + max);
  }

  InetAddress address(ConfigToken t) throws ConfigException {
    return address(t, t.text());
  }

  /** {@code text} (part of {@code t}) as a numeric IPv4 or IPv6 address; anything else is refused without asking DNS. */
  InetAddress address(ConfigToken t, String text) throws ConfigException {
    InetAddress a = AddressLiteral.parse(text);
    if (a == null) {
      throw error(t, "not an IPv4 or IPv6 address");
    }
    return a;
  }

  /** {@code name} (written at {@code t}) if it can be a Linux interface name. */
  String interfaceName(ConfigToken t, String name) throws ConfigException {
    if (name.isEmpty() || name.length() > VirtualAddress.MAX_NAME_LENGTH || name.contains("/")) {
      throw error(t, "not a Linux interface name (1.." + VirtualAddress.MAX_NAME_LENGTH + " characters, no '/')");
    }
    return name;
  }
}
