/**
 * Virtual IP ownership: {@link io.ha4j.vip.VipOwner} implements {@link io.ha4j.api.address.AddressOwner}
 * over an {@link io.ha4j.vip.AddressKernel} (Linux: {@code io.ha4j.vip.linux.LinuxAddressKernel};
 * tests: the testkit's {@code FakeAddressKernel}).
 *
 * <p>Choices where keepalived or the kernel leave room:
 *
 * <ul>
 *   <li>Addresses are added with NLM_F_EXCL, so EEXIST tells "already there" (success); IPv6 VIPs
 *       always get {@code nodad} so that they are usable and announceable at once;
 *       {@code noprefixroute} is an option.
 *   <li>IPv4 announcements are gratuitous ARP requests with THA ff:ff:ff:ff:ff:ff (what keepalived
 *       and {@code arping -U} send) or replies (as {@code arping -A}); IPv6 ones are unsolicited
 *       neighbour advertisements with the override flag, built whole (Ethernet + IPv6 + ICMPv6) and
 *       sent through the same AF_PACKET socket as ARP, so one capability (CAP_NET_RAW) and one
 *       socket type serve both and the bytes do not depend on the kernel's source selection.
 *   <li>Bursts, repeat and refresh follow keepalived's defaults ({@link
 *       io.ha4j.vip.AnnouncementPolicy#KEEPALIVED}) and are timed by the injected scheduler.
 *   <li>Stale VIPs of a crashed earlier run are removed by an explicit {@link
 *       io.ha4j.vip.VipOwner#releaseStale()}, called by the member before it may become master.
 *   <li>Other hosts' claims of an owned VIP are heard on two receive-only AF_PACKET sockets for the
 *       whole namespace (one bound to ARP, one to IPv6 with a socket filter that keeps only
 *       ICMPv6 type 136), not one per interface: they follow interfaces that come and go without
 *       rebinding, a socket bound to one ethertype never sees this host's own frames (unlike
 *       ETH_P_ALL, which would also clone every outgoing packet of a load balancer), and the
 *       interface index the kernel reports with each frame picks the VIP's interface. A claim is
 *       an ARP sender address, or a neighbour advertisement's target, with another hardware
 *       address ({@link io.ha4j.api.address.AddressEvent.AddressConflict}); the owner reports it
 *       and leaves the decision to the election instead of answering with announcements of its
 *       own, which would only make the neighbours flap while the split lasts.
 * </ul>
 */
@NullMarked
package io.ha4j.vip;

import org.jspecify.annotations.NullMarked;
