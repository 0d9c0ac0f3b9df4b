package io.ha4j.examples.app;

import io.ha4j.api.Role;
import io.ha4j.api.VirtualAddress;
import io.ha4j.core.member.AvailabilityLedger;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * What one instance of {@link EmbeddedApp} tells its HTTP clients.
 *
 * @param nodeId this instance's node id
 * @param role the election's role now
 * @param effectivePriority the priority this node advertises now (0 while leaving)
 * @param vipsOwned the VIPs this node holds
 * @param availability the member's availability report
 */
public record AppStatus(String nodeId, Role role, int effectivePriority, List<VirtualAddress> vipsOwned,
    AvailabilityLedger.Report availability) {

  public AppStatus {
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(availability, "availability");
    vipsOwned = vipsOwned.stream().sorted(Comparator.comparing(VirtualAddress::toString)).toList();
  }

  /** The answer to {@code GET /}. */
  public String greeting() {
    return "hello from " + nodeId + " (role " + role + ")\n";
  }

  /** The answer to {@code GET /ha}: one JSON object. */
  public String json() {
    String vips = vipsOwned.stream().map(v -> quote(v.address().getHostAddress() + "/" + v.prefixLength()
        + " dev " + v.interfaceName())).collect(Collectors.joining(", ", "[", "]"));
    return String.format(Locale.ROOT, "{\"nodeId\": %s, \"role\": %s, \"effectivePriority\": %d, "
            + "\"vipsOwned\": %s, \"availability\": {\"observedMs\": %d, \"withoutMasterMs\": %d, "
            + "\"failovers\": %d, \"availability\": %.6f}}%n",
        quote(nodeId), quote(role.name()), effectivePriority, vips, availability.observed().toMillis(),
        availability.withoutMaster().toMillis(), availability.failovers(), availability.availability());
  }

  /** A JSON string: the node id and interface names come from the command line. */
  static String quote(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        default -> {
          if (c < 0x20) {
            b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }
}
