package io.ha4j.director;

import io.ha4j.api.ServiceKey;
import io.ha4j.core.health.CommandCheck;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Reads a director configuration: a subset of keepalived.conf, described in the package
 * documentation. Every problem is a {@link ConfigException} naming the file, line, column and
 * token; keywords of the documented harmless list are ignored with a warning in {@link
 * DirectorConfig#warnings()}.
 *
 * <p>Laid out as keepalived's parser is: each kind of block has a {@link KeywordTable} of its
 * keywords and their handlers, beside the class its handlers fill in. This class holds the top
 * level's and {@code global_defs}'s; {@link VrrpInstanceBlock}, {@link VirtualServerBlock}, {@link
 * RealServerBlock}, {@link CheckerBlock} and {@link UrlBlock} the others.
 */
public final class DirectorConfigParser {

  /** keepalived's daemon tunables: nothing in ha4j depends on them. */
  static final Set<String> IGNORED_GLOBAL = Set.of(
      "notification_email", "notification_email_from", "smtp_server", "smtp_connect_timeout",
      "vrrp_skip_check_adv_addr", "vrrp_strict",
      "vrrp_garp_interval", "vrrp_gna_interval", "max_auto_priority", "vrrp_version", "lvs_id");

  private static final KeywordTable<DirectorConfigParser> GLOBAL_DEFS = new KeywordTable<DirectorConfigParser>()
      .keyword("router_id", (p, d) -> {
        d.exactly(1);
        p.routerId = d.arg(0);
      })
      .keyword("vrrp_mcast_group4", (p, d) -> p.group4 = group(d, Inet4Address.class))
      .keyword("vrrp_mcast_group6", (p, d) -> p.group6 = group(d, Inet6Address.class))
      .ignored(IGNORED_GLOBAL, " is a keepalived daemon setting; ignored")
      // The director runs MISC_CHECK and quorum_up/_down as its own user, without checking who may
      // write the scripts: with a command in the file, ignoring either would run it otherwise than
      // the file asks (refused at the end); without one they are harmless.
      .repeatedKeyword("script_user", (p, d) -> p.scriptSettings.add(d.keyword()))
      .repeatedKeyword("enable_script_security", (p, d) -> p.scriptSettings.add(d.keyword()));

  /**
   * The top level. {@code global_defs} is read where it stands; the instance and the virtual
   * servers are read at the end of the file, the instance first (a virtual server's errors come
   * after the instance's, wherever it stands).
   */
  private static final KeywordTable<DirectorConfigParser> TOP_LEVEL = new KeywordTable<DirectorConfigParser>()
      .repeatedBlock("global_defs", (p, d) -> GLOBAL_DEFS.read(d, 0, p))
      .repeatedBlock("vrrp_instance", DirectorConfigParser::vrrpInstance)
      .repeatedBlock("virtual_server", (p, d) -> p.virtualServers.add(d))
      .repeatedBlock("virtual_server_group", (p, d) -> p.groups.add(d))
      .unsupported("vrrp_script", "vrrp_sync_group", "include", "static_ipaddress",
          "static_routes", "static_rules", "vrrp_track_process", "bfd_instance", "linkbeat_interfaces");

  private final ConfigWords words;
  private @Nullable ConfigToken routerId;
  private InetAddress group4 = AddressLiteral.require("224.0.0.18");
  private InetAddress group6 = AddressLiteral.require("ff02::12");
  private @Nullable Directive instance;
  private final List<Directive> virtualServers = new ArrayList<>();
  private final List<Directive> groups = new ArrayList<>();
  private final List<ConfigToken> scriptSettings = new ArrayList<>();

  private DirectorConfigParser(ConfigWords words) {
    this.words = words;
  }

  /** Reads the file at {@code path} for this node's default config id; errors name it as given. */
  public static DirectorConfig parse(Path path) throws IOException, ConfigException {
    return parse(path, ConditionalLines.defaultConfigId());
  }

  /**
   * Reads the file at {@code path}; its {@code @ID} lines count for {@code configId}
   * (keepalived's {@code --config-id}, see {@link ConditionalLines}).
   */
  public static DirectorConfig parse(Path path, String configId) throws IOException, ConfigException {
    return parse(path.toString(), Files.readString(path, StandardCharsets.UTF_8), configId);
  }

  /** Reads {@code text} for this node's default config id; errors name it {@code fileName}. */
  public static DirectorConfig parse(String fileName, String text) throws ConfigException {
    return parse(fileName, text, ConditionalLines.defaultConfigId());
  }

  /** Reads {@code text}, its {@code @ID} lines counting for {@code configId}; errors name it {@code fileName}. */
  public static DirectorConfig parse(String fileName, String text, String configId) throws ConfigException {
    DirectorConfigParser p = new DirectorConfigParser(new ConfigWords(fileName));
    TOP_LEVEL.read(ConfigReader.read(fileName, ConditionalLines.apply(text, configId)), p, "the top level", p.words);
    return p.end();
  }

  /**
   * {@code script_user} / {@code enable_script_security}: refused when the file has a command to
   * run (MISC_CHECK, quorum_up, quorum_down), which the director runs as itself, unchecked;
   * ignored with a warning otherwise.
   */
  private void scriptSettings(List<VirtualServerConfig> servers) throws ConfigException {
    boolean commands = false;
    for (VirtualServerConfig v : servers) {
      commands |= !v.quorumCommands().up().isEmpty() || !v.quorumCommands().down().isEmpty()
          || v.checks().stream().anyMatch(c -> c.check() instanceof CommandCheck);
    }
    for (ConfigToken t : scriptSettings) {
      if (commands) {
        throw words.error(t, t.text() + " is not supported by the ha4j director: it runs MISC_CHECK and quorum"
            + " commands as its own user, without checking who may write them");
      }
      words.warn(t, t.text() + " is a keepalived daemon setting; ignored (this file runs no command)");
    }
  }

  /** A multicast group of the family {@code family} (RFC 5798's groups are link-local: ff02:: for IPv6). */
  private static InetAddress group(Directive d, Class<? extends InetAddress> family) throws ConfigException {
    InetAddress g = d.address();
    if (!family.isInstance(g) || !g.isMulticastAddress()) {
      throw d.error(d.arg(0), d.name() + " must be an IPv" + (family == Inet4Address.class ? 4 : 6) + " multicast address");
    }
    return g;
  }

  private void vrrpInstance(Directive d) throws ConfigException {
    Directive first = instance;
    if (first != null) {
      throw d.error("only one vrrp_instance per director (the first is at line " + first.keyword().line() + ")");
    }
    d.block(1);
    instance = d;
  }

  /**
   * The end of the file: the instance, then the virtual servers in file order. Without an instance
   * the file is LVS-only (keepalived and ldirectord run so): the checks drive the table alone.
   */
  private DirectorConfig end() throws ConfigException {
    Directive i = instance;
    if (i == null && virtualServers.isEmpty()) {
      throw new ConfigException(words.file(), 1, 1, "", "neither vrrp_instance nor virtual_server: nothing to run");
    }
    VrrpInstanceBlock.@Nullable Instance election = i == null ? null
        : VrrpInstanceBlock.read(i, new VrrpInstanceBlock.Globals(routerId, group4, group6));
    List<VirtualServerConfig> servers = new ArrayList<>();
    Set<ServiceKey> keys = new HashSet<>();
    Map<String, List<VirtualServerGroupBlock.Member>> members = new HashMap<>();
    Map<String, Directive> groupAt = new HashMap<>();
    for (Directive g : groups) {
      List<VirtualServerGroupBlock.Member> m = VirtualServerGroupBlock.read(g);
      Directive earlier = groupAt.putIfAbsent(g.arg(0).text(), g);
      if (earlier != null) {
        throw g.error(g.arg(0), "virtual_server_group " + g.arg(0).text() + " is defined twice (first at line "
            + earlier.keyword().line() + ")");
      }
      members.put(g.arg(0).text(), m);
    }
    for (Directive s : virtualServers) {
      for (VirtualServerConfig v : VirtualServerBlock.read(s, members)) {
        if (!keys.add(v.service().service().key())) {
          throw s.error("virtual_server " + v.service().service().key() + " is defined twice");
        }
        servers.add(v);
      }
    }
    scriptSettings(servers);
    ConfigToken r = routerId;
    if (election == null) {
      return new DirectorConfig(r != null ? r.text() : "LVS-only", null, null, null, List.of(), null, servers,
          words.warnings());
    }
    String name = r != null ? r.text() : election.config().nodeId().value();
    return new DirectorConfig(name, election.config(), election.bind(), election.multicast(),
        election.vips(), election.announceRefresh(), servers, words.warnings());
  }
}
