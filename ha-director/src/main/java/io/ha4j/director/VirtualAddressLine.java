package io.ha4j.director;

import io.ha4j.api.AddressFamily;
import io.ha4j.api.VirtualAddress;
import java.net.InetAddress;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** One line of {@code virtual_ipaddress}: {@code A[/LEN] [dev IF] [label L]}, read into a {@link VirtualAddress}. */
final class VirtualAddressLine {

  private VirtualAddressLine() {}

  /** The line {@code v}; without {@code dev} the address goes on {@code defaultInterface}. */
  static VirtualAddress read(ConfigStatement v, String defaultInterface, ConfigWords words) throws ConfigException {
    if (v.block() != null) {
      throw words.error(v.keyword(), "a virtual_ipaddress entry has no block");
    }
    ConfigToken t = v.keyword();
    String text = t.text();
    int slash = text.indexOf('/');
    InetAddress address = words.address(t, slash < 0 ? text : text.substring(0, slash));
    int max = AddressFamily.of(address).bits();
    int prefix = max;
    if (slash >= 0) {
      try {
        prefix = Integer.parseInt(text.substring(slash + 1));
      } catch (NumberFormatException e) {
        prefix = -1;
      }
      if (prefix < 0 || prefix > max) {
        throw words.error(t, "prefix length must be 0.." + max);
      }
    }
    String dev = defaultInterface;
    @Nullable String label = null;
    List<ConfigToken> a = v.args();
    for (int i = 0; i < a.size(); i += 2) {
      ConfigToken opt = a.get(i);
      if (i + 1 >= a.size()) {
        throw words.error(opt, "'" + opt.text() + "' needs a value");
      }
      ConfigToken val = a.get(i + 1);
      switch (opt.text()) {
        case "dev" -> dev = words.interfaceName(val, val.text());
        case "label" -> label = val.text();
        default -> throw words.error(opt, "unsupported virtual_ipaddress option (ha4j reads dev and label)");
      }
    }
    try {
      return new VirtualAddress(address, prefix, dev, label);
    } catch (IllegalArgumentException e) {
      throw words.error(t, String.valueOf(e.getMessage()));
    }
  }
}
