/**
 * The LVS director pair as a small daemon configured by a keepalived-style file: {@link
 * io.ha4j.director.DirectorMain} (ha-director/bin/director).
 *
 * <h2>What it speaks</h2>
 *
 * The {@code vrrp_instance} block configures ha4j's <b>authenticated heartbeat</b> (HMAC-signed UDP
 * advertisements, unicast to the peers or, without {@code unicast_peer}, multicast to keepalived's
 * group 224.0.0.18 (ff02::12 for an IPv6 instance; {@code mcast_dst_ip} or global_defs' {@code
 * vrrp_mcast_group4}/{@code vrrp_mcast_group6} to change it) on the instance's interface; UDP port
 * {@value io.ha4j.director.DirectorConfig#DEFAULT_PORT} unless {@code ha4j_port} says otherwise),
 * with VRRP's election rules. It is <b>not VRRP</b>: a director does not interoperate with a
 * keepalived peer (UDP, not IP protocol 112: the two never see each other's adverts). The death
 * witness needs unicast peers: over multicast a dead master is noticed after the master-down
 * interval.
 *
 * <h2>Grammar</h2>
 *
 * keepalived's: one statement per line, {@code keyword [words...]}, optionally followed by a
 * {@code { ... }} block; comments run from {@code #} or {@code !} to the end of the line; {@code
 * "..."} quotes a word with blanks. Blocks nest at most 16 deep. Addresses are literals, read
 * without asking DNS: IPv4 as a dotted quad without leading zeros (as inet_pton reads it), IPv6 in
 * RFC 4291's text form without a zone; anything else, a host name included, is an error. Durations
 * are seconds and may be fractional ({@code advert_int 0.1}). A line whose first word is {@code @ID}
 * counts only on the node whose config id ({@code --config-id}, default the node name up to its
 * first dot) is ID, one starting {@code @^ID} only on the others (keepalived's conditional lines).
 *
 * <h2>Node ids</h2>
 *
 * The heartbeat's node id, which every advertisement carries and which breaks ties of priority, is
 * {@code router_id@unicast_src_ip}, for instance {@code LVS_DEVEL@198.51.100.1}; without a {@code
 * router_id} it is the {@code unicast_src_ip} address. A multicast instance without {@code
 * mcast_src_ip} takes the interface's first address of its family at start (a global one before a
 * link-local one). {@code mcast_src_ip} names the node; the datagrams leave with the address the
 * kernel picks for the interface. keepalived's sample {@code router_id
 * LVS_DEVEL} is often copied to both nodes: with the address the two ids still differ (with one
 * id, each node would take the other's advertisements for its own, and both would hold the VIP). A
 * router_id too long for the id's 64 bytes with the address is cut, with a warning.
 *
 * <h2>Keywords read</h2>
 *
 * <pre>
 * global_defs { router_id NAME  vrrp_mcast_group4 G  vrrp_mcast_group6 G }  # node id NAME@source
 * vrrp_instance NAME {                      # at most one; none: LVS-only (below)
 *   state MASTER|BACKUP                     # accepted; the election decides (both start as backup)
 *   interface IF                            # required; tracked: losing it means FAULT
 *   virtual_router_id N                     # required, 1..255: the heartbeat group id
 *   priority P                              # 1..255, default 100
 *   advert_int S                            # default 1; whole milliseconds, 0.01..3600
 *   nopreempt | preempt_delay S
 *   accept                                  # RFC 5798 Accept_Mode: what ha4j always does (no_accept: refused)
 *   unicast_src_ip A | mcast_src_ip A       # the heartbeat's source (one setting); required with unicast_peer
 *   unicast_peer { A ... }                  # unicast to these, addresses on one line or several
 *   mcast_dst_ip G                          # without unicast_peer: the group, default 224.0.0.18 / ff02::12
 *   authentication { auth_type PASS|AH  auth_pass SECRET }   # key id 1; see below
 *   ha4j_key ID SECRET                      # ha4j: a key (id 0..255, 16+ bytes); up to 2 for a rollover
 *   ha4j_port N                             # ha4j: heartbeat UDP port, default 5405
 *   ha4j_cluster_id N                       # ha4j: 32-bit cluster id shared by the pair, default 0
 *   ha4j_advert_copies N                    # ha4j: datagrams per advertisement, 1..5, default 1
 *   virtual_ipaddress { A[/LEN] [dev IF] [label L] ... }  # default /32 (/128) on the interface
 *   track_interface { IF [weight W] ... }   # weight 0 (default): down means FAULT
 *   garp_master_refresh S                   # periodic gratuitous ARP while master
 * }
 * virtual_server IP [PORT] { ... }  |  virtual_server fwmark N { ... }  |  virtual_server group NAME { ... }
 *   (no PORT: 0, for a persistent service only, as keepalived.conf(5) says)
 *   delay_loop S (default 60)  lb_algo|lvs_sched NAME (default wlc)  lb_kind|lvs_method NAT|DR|TUN
 *   (default NAT)  protocol TCP|UDP|SCTP (default TCP)  ip_family inet|inet6 (fwmark only)
 *   persistence_timeout S  persistence_granularity MASK|LEN  quorum N  hysteresis N
 *   sorry_server IP PORT  inhibit_on_failure  alpha  virtualhost H
 *   quorum_up CMD  quorum_down CMD          # run on gaining / losing quorum: argv, no shell ("CMD ARGS" quoted)
 *   real_server IP [PORT] {                 # no port: 0, the client's destination port (fwmark)
 *     weight W (default 1)
 *     TCP_CHECK { connect_timeout S  connect_port P  connect_ip A  retry N  delay_before_retry S
 *                 delay_loop S  rise N  fall N }
 *     MISC_CHECK { misc_path CMD|"CMD ARGS"  misc_timeout S (default: the interval)  retry N
 *                 delay_before_retry S  delay_loop S  rise N  fall N }   # exit 0: up; argv, no shell
 *     SMTP_CHECK { helo_name NAME (default smtpchecker.keepalived.org)  and the TCP_CHECK keywords }
 *                 # 220 greeting, HELO answered 250, QUIT 221; host { } sub-blocks refused
 *     UDP_CHECK { payload HEX  require_reply [HEX]  and the TCP_CHECK keywords }   # a reply is needed:
 *                 without require_reply (keepalived: silence is up) it is refused
 *     HTTP_GET | SSL_GET { url { path /p  status_code N|N-M ...  digest MD5-HEX|SHA256-HEX }  virtualhost H
 *                 and the TCP_CHECK keywords }
 *   }
 * virtual_server_group NAME {               # the services a 'virtual_server group NAME' gives its settings to
 *   IP [PORT]   IP-LAST [PORT]   IP-IP [PORT]   IP/LEN [PORT]   fwmark N [inet|inet6]
 * }                                         # ranges: IPv4 last octet, IPv6 last group (hex); 4096 services at most
 * </pre>
 *
 * {@code ha4j_advert_copies 2} sends each advertisement twice (each copy its own sequence number):
 * under independent loss {@code p}, a backup then misses an interval with {@code p^2} instead of
 * {@code p}, so the 3 lost intervals that make a false fail-over become {@code p^6} likely (at 5%
 * loss and 20 ms intervals, about 3.75 false fail-overs in 10 minutes with 1 copy, 0.0005 with 2),
 * with the same detection time. See {@code HeartbeatConfig.Builder#advertisementCopies}.
 *
 * <p>{@code auth_pass}: a password of 16 bytes or more is the HMAC key itself; a shorter one (what
 * keepalived users have: PASS sends at most 8 characters, in clear) is stretched by HKDF-Extract
 * (RFC 5869 2.2, HMAC-SHA256 with the fixed salt {@code "ha4j auth_pass v1"}) to a 32-byte key,
 * with one warning (it is never sent, but a short password stays guessable). {@code auth_type AH}
 * is read the same way, with a warning: ha4j's HMAC replaces keepalived's IPsec AH.
 *
 * <p><b>LVS-only mode.</b> A file with {@code virtual_server} blocks and no {@code vrrp_instance}
 * (keepalived's {@code keepalived.conf.fwmark} sample, ldirectord's job) runs the checks and lets
 * them drive the IPVS table on their own, with no election and no VIP: at start, on every health
 * change and every 5 s to repair the table. Run it on every node that forwards.
 *
 * <p>Mapping: {@code delay_loop} is the check interval, {@code connect_timeout} the timeout (default
 * 5 s), {@code retry}/{@code nb_get_retry} and {@code delay_before_retry} the retries within a
 * round; {@code rise}/{@code fall} (ha4j, default 1) count rounds. A real server without a checker
 * is always up. {@code inhibit_on_failure} keeps down servers with weight 0 (ha4j applies it to the
 * whole virtual server); {@code alpha} in any virtual server applies to all of them. {@code
 * digest} is keepalived's MD5 of the body with 32 hex digits (what its genhash prints), SHA-256 with 64. One checker
 * per real server; several {@code url} blocks must all pass (fetched at once). {@code virtualhost}
 * in a virtual server is its HTTP checkers' default Host. {@code inhibit_on_failure} in every
 * {@code real_server} of a virtual server is the same as in the virtual server; in some only, it
 * is refused (ha4j quiesces or removes per virtual server).
 *
 * <h2>Errors and warnings</h2>
 *
 * Any unknown keyword, missing or extra value, bad value, or a single-valued keyword given twice
 * in one block (keepalived would silently take the last) is an error {@code
 * file:line:column: problem (at 'token')}, and the daemon exits with status 1; the words of key
 * lines ({@code auth_pass}, {@code ha4j_key}) show as {@code <secret>}. Only these harmless
 * keepalived keywords are ignored, each with a warning: in {@code global_defs} the daemon tunables
 * ({@code notification_email}, {@code notification_email_from}, {@code smtp_server}, {@code
 * smtp_connect_timeout}, {@code
 * vrrp_skip_check_adv_addr}, {@code vrrp_strict}, {@code vrrp_garp_interval}, {@code
 * vrrp_gna_interval}, {@code max_auto_priority}, {@code vrrp_version}, {@code lvs_id}); in {@code
 * vrrp_instance} {@code smtp_alert}, {@code garp_master_delay}, {@code garp_master_repeat}, {@code
 * garp_lower_prio_delay}, {@code garp_lower_prio_repeat}; in {@code virtual_server} and {@code
 * real_server} {@code smtp_alert}, {@code ha_suspend} ({@code omega} in virtual_server: ha4j leaves the table at stop); in checkers {@code warmup}.
 * Scripts ({@code vrrp_script}, {@code notify_*}), {@code script_user} and {@code
 * enable_script_security} in a file that runs a command (MISC_CHECK, quorum_up/_down run as the
 * director's user, unchecked; without a command they are ignored with a warning), {@code misc_dynamic}, sync
 * groups, {@code include} and other checkers are errors, not
 * silently dropped.
 *
 * <p>A group's services share their real servers' checks' settings, but ha4j checks each real
 * server once per service of the group (keepalived checks it once for the group).
 */
@NullMarked
package io.ha4j.director;

import org.jspecify.annotations.NullMarked;
