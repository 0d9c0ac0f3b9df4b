package io.ha4j.api.election;

import java.util.Objects;

/**
 * An object whose state moves an election's priority (keepalived's {@code track_interface}, {@code
 * track_script}, {@code track_file}): a network interface, a health check, a script or a file,
 * named in its kind's own terms.
 *
 * @param kind what sort of object it is
 * @param name the interface name, check id, script name or file path
 */
public record Tracked(Kind kind, String name) {

  /** What sort of object is tracked. */
  public enum Kind {
    /** A network interface: up while it is administratively up and has carrier. */
    INTERFACE,
    /** A health check of the member's own service. */
    CHECK,
    /** A script run periodically (keepalived's {@code vrrp_script}): up while it exits 0. */
    SCRIPT,
    /** A file whose content gives the state (keepalived's {@code track_file}). */
    FILE,
    /**
     * A virtual address the member must be able to hold: reported down by the member when the
     * address could not be added while master, or released while not, within its hold bound, and
     * up again when it can be held. Every election tracks it at weight 0 without being configured
     * to: down means FAULT, and a master leaves with a priority-0 advertisement so that a peer
     * takes the address over.
     */
    ADDRESS
  }

  public Tracked {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(name, "name");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("a tracked " + kind.name().toLowerCase(java.util.Locale.ROOT) + " needs a name");
    }
  }

  /** The network interface {@code name}. */
  public static Tracked networkInterface(String name) {
    return new Tracked(Kind.INTERFACE, name);
  }

  /** The health check {@code name}. */
  public static Tracked check(String name) {
    return new Tracked(Kind.CHECK, name);
  }

  /** The script {@code name}. */
  public static Tracked script(String name) {
    return new Tracked(Kind.SCRIPT, name);
  }

  /** The virtual address {@code address} (its text form), held by the member; see {@link Kind#ADDRESS}. */
  public static Tracked heldAddress(String address) {
    return new Tracked(Kind.ADDRESS, address);
  }

  /** The file at {@code path}. */
  public static Tracked file(String path) {
    return new Tracked(Kind.FILE, path);
  }

  @Override
  public String toString() {
    return kind.name().toLowerCase(java.util.Locale.ROOT) + " " + name;
  }
}
