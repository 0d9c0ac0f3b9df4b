package io.ha4j.examples.app;

import io.ha4j.api.VirtualAddress;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The command line of {@link EmbeddedApp}.
 *
 * @param nodeId the heartbeat node id, also shown by the HTTP answers
 * @param priority 1..254, the election priority (255 is reserved for an address owner)
 * @param bind the heartbeat socket's address and port
 * @param peers where advertisements are sent (at least one)
 * @param vip the address the master holds
 * @param httpPort the port the HTTP server listens on, on every address
 * @param key the shared heartbeat secret (16+ bytes)
 * @param groupId 1..255, the election group
 * @param advertisementInterval how often the master advertises
 */
public record AppOptions(String nodeId, int priority, InetSocketAddress bind, List<InetSocketAddress> peers,
    VirtualAddress vip, int httpPort, String key, int groupId, Duration advertisementInterval) {

  /** The heartbeat UDP port when {@code --bind} or {@code --peer} gives none. */
  public static final int DEFAULT_HEARTBEAT_PORT = 5405;

  static final String USAGE = "usage: embedded-app --node-id ID --priority 1..254 --bind ADDR[:PORT] "
      + "--peer ADDR[:PORT] [--peer ADDR[:PORT]...] --vip ADDR/LEN --dev IF --http-port PORT --key SECRET "
      + "[--group 1..255] [--advert-ms MS]";

  /** Numeric IPv4, or bracketed / bare IPv6: the options never ask DNS. */
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  public AppOptions {
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(bind, "bind");
    Objects.requireNonNull(vip, "vip");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(advertisementInterval, "advertisementInterval");
    peers = List.copyOf(peers);
    if (nodeId.isBlank()) {
      throw new IllegalArgumentException("nodeId must not be blank");
    }
    if (priority < 1 || priority > 254) {
      throw new IllegalArgumentException("priority must be 1..254, was " + priority);
    }
    if (peers.isEmpty()) {
      throw new IllegalArgumentException("peers must name at least one peer");
    }
    if (httpPort < 1 || httpPort > 65535) {
      throw new IllegalArgumentException("httpPort must be 1..65535, was " + httpPort);
    }
    if (key.getBytes(StandardCharsets.UTF_8).length < 16) {
      throw new IllegalArgumentException("key must be at least 16 bytes, was "
          + key.getBytes(StandardCharsets.UTF_8).length);
    }
    if (groupId < 1 || groupId > 255) {
      throw new IllegalArgumentException("groupId must be 1..255, was " + groupId);
    }
    if (advertisementInterval.isNegative() || advertisementInterval.isZero()) {
      throw new IllegalArgumentException("advertisementInterval must be positive, was " + advertisementInterval);
    }
  }

  /** Parses the command line; the message of the exception names the bad option. */
  public static AppOptions parse(String... args) {
    @Nullable String nodeId = null;
    int priority = -1;
    @Nullable InetSocketAddress bind = null;
    List<InetSocketAddress> peers = new ArrayList<>();
    @Nullable String vip = null;
    @Nullable String dev = null;
    int httpPort = -1;
    @Nullable String key = null;
    int group = 1;
    long advertMs = 1000;
    for (int i = 0; i < args.length; i++) {
      String option = args[i];
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(option.startsWith("--") ? option + " needs a value" : "unexpected " + option);
      }
      String value = args[++i];
      switch (option) {
        case "--node-id" -> nodeId = value;
        case "--priority" -> priority = integer(option, value);
        case "--bind" -> bind = socketAddress(option, value);
        case "--peer" -> peers.add(socketAddress(option, value));
        case "--vip" -> vip = value;
        case "--dev" -> dev = value;
        case "--http-port" -> httpPort = integer(option, value);
        case "--key" -> key = value;
        case "--group" -> group = integer(option, value);
        case "--advert-ms" -> advertMs = integer(option, value);
        default -> throw new IllegalArgumentException("unknown option " + option);
      }
    }
    VirtualAddress address = virtualAddress(require("--vip", vip), require("--dev", dev));
    return new AppOptions(require("--node-id", nodeId), priority < 0 ? missing("--priority") : priority,
        require("--bind", bind), peers.isEmpty() ? missing("--peer") : peers, address,
        httpPort < 0 ? missing("--http-port") : httpPort, require("--key", key), group, Duration.ofMillis(advertMs));
  }

  private static <T> T require(String option, @Nullable T value) {
    if (value == null) {
      throw new IllegalArgumentException(option + " is required");
    }
    return value;
  }

  private static <T> T missing(String option) {
    throw new IllegalArgumentException(option + " is required");
  }

  private static int integer(String option, String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " must be an integer, was '" + value + "'");
    }
  }

  private static VirtualAddress virtualAddress(String value, String dev) {
    int slash = value.lastIndexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException("--vip must be ADDR/LEN, was '" + value + "'");
    }
    InetAddress address = literal("--vip", value.substring(0, slash));
    try {
      return VirtualAddress.of(address, integer("--vip prefix length", value.substring(slash + 1)), dev);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--vip " + value + " dev " + dev + ": " + e.getMessage(), e);
    }
  }

  /** {@code ADDR}, {@code ADDR:PORT}, {@code [V6]:PORT} or a bare IPv6 address. */
  private static InetSocketAddress socketAddress(String option, String value) {
    String host = value;
    int port = DEFAULT_HEARTBEAT_PORT;
    if (value.startsWith("[")) {
      int close = value.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException(option + " has no closing ']': '" + value + "'");
      }
      host = value.substring(1, close);
      if (close + 1 < value.length()) {
        if (value.charAt(close + 1) != ':') {
          throw new IllegalArgumentException(option + " must be [V6]:PORT, was '" + value + "'");
        }
        port = integer(option + " port", value.substring(close + 2));
      }
    } else if (value.indexOf(':') == value.lastIndexOf(':') && value.indexOf(':') >= 0) {
      host = value.substring(0, value.indexOf(':'));
      port = integer(option + " port", value.substring(value.indexOf(':') + 1));
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(option + " port must be 1..65535, was " + port);
    }
    return new InetSocketAddress(literal(option, host), port);
  }

  private static InetAddress literal(String option, String host) {
    if (!IPV4.matcher(host).matches() && !(host.contains(":") && host.matches("[0-9a-fA-F:.]+"))) {
      throw new IllegalArgumentException(option + " must be a numeric address, was '" + host + "'");
    }
    try {
      return InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(option + " is not an address: '" + host + "'", e);
    }
  }
}
