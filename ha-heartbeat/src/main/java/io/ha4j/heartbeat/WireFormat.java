package io.ha4j.heartbeat;

import io.ha4j.api.NodeId;
import io.ha4j.api.VirtualAddress;
import io.ha4j.api.transport.Datagram;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Collection;
import org.jspecify.annotations.Nullable;

/**
 * How the election's advertisements look on the wire. One state machine ({@link
 * VrrpElection}) speaks either ha4j's authenticated heartbeat format ({@link
 * #authenticated(HeartbeatConfig)}, the default) or VRRPv3 ({@code
 * io.ha4j.heartbeat.vrrp.VrrpWireFormat}, to join a keepalived group).
 *
 * <p>Implementations are used under the election's lock only, so they need not be thread-safe.
 */
public interface WireFormat {

  /**
   * The packet that carries {@code advertisement} to {@code destination}, positioned at 0, or
   * {@code null} when this format cannot express it (VRRP has no step-down notice, an
   * advertisement with state BACKUP); the election then sends nothing.
   */
  @Nullable ByteBuffer encode(Advertisement advertisement, InetSocketAddress destination);

  /**
   * Decodes a received datagram into an advertisement, or the reason to drop it. Never throws for
   * any content; leaves the payload's position and limit unchanged.
   */
  AdvertisementCodec.Decoded decode(Datagram datagram);

  /** The digest of a virtual address set, compared with {@link Advertisement#vipDigest()}. */
  default byte[] vipDigest(Collection<VirtualAddress> virtualAddresses) {
    return AdvertisementCodec.vipDigest(virtualAddresses);
  }

  /**
   * Whether advertisements carry an incarnation and sequence number that the election's replay
   * window checks. VRRP has neither.
   */
  default boolean replayProtected() {
    return true;
  }

  /**
   * Whether {@code sender} wins a tie of equal priorities against {@code self} (RFC 5798 section
   * 6.4.3: the higher primary address wins; ha4j's format: the higher node id).
   */
  default boolean winsTie(NodeId sender, NodeId self) {
    return sender.compareTo(self) > 0;
  }

  /**
   * A wire format that decodes as this one does, for the receive thread to screen datagrams with
   * before they are queued for the election, while this one is used under the election's lock.
   * This one itself when decoding keeps no state that is not thread-safe (the default); ha4j's
   * format gives a codec of its own, because a codec reuses its MACs.
   */
  default WireFormat screeningCopy() {
    return this;
  }

  /** ha4j's HMAC-authenticated heartbeat format for {@code config}'s cluster, group and keys. */
  static WireFormat authenticated(HeartbeatConfig config) {
    return new AuthenticatedWireFormat(
        () -> new AdvertisementCodec(config.clusterId(), config.groupId(), config.keys()));
  }
}
