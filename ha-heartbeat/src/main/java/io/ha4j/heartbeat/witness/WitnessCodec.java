package io.ha4j.heartbeat.witness;

import io.ha4j.api.NodeId;
import io.ha4j.api.Role;
import io.ha4j.heartbeat.DropReason;
import io.ha4j.heartbeat.HeartbeatKey;
import io.ha4j.heartbeat.internal.KeyedMacs;
import io.ha4j.heartbeat.internal.NodeIdBytes;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Encodes and decodes the witness protocol's messages of one election group, signed with the
 * heartbeat's keys (package documentation, "Messages"). Pure: no I/O, no clock. Not thread-safe
 * (its MACs are reused): one per election, used under its lock.
 */
final class WitnessCodec {

  static final int MAGIC = 0x48413457; // "HA4W"
  static final int VERSION = 1;
  static final int HEADER_BYTES = 56;
  static final int MIN_BYTES = HEADER_BYTES + 1 + KeyedMacs.BYTES;
  static final int MAX_BYTES = HEADER_BYTES + NodeId.MAX_BYTES + KeyedMacs.BYTES;
  private static final int KIND_HELLO = 1;
  private static final int KIND_GOODBYE = 2;
  private static final Role[] ROLES = Role.values(); // INIT, BACKUP, MASTER, FAULT: codes 0..3

  /** What {@link #decode} found: a message and the key that signed it, or why it was dropped. */
  sealed interface Decoded permits Valid, Rejected {}

  record Valid(WitnessMessage message, int keyId) implements Decoded {}

  record Rejected(DropReason reason) implements Decoded {}

  private final int clusterId;
  private final int groupId;
  private final KeyedMacs macs;

  WitnessCodec(int clusterId, int groupId, List<HeartbeatKey> keys) {
    this.clusterId = clusterId;
    this.groupId = groupId;
    this.macs = new KeyedMacs(clusterId, groupId, keys);
  }

  /** {@code m} signed with the signing key, positioned at 0. */
  ByteBuffer encode(WitnessMessage m) {
    byte[] id = m.node().value().getBytes(StandardCharsets.UTF_8);
    byte[] bytes = new byte[HEADER_BYTES + id.length + KeyedMacs.BYTES];
    ByteBuffer b = ByteBuffer.wrap(bytes);
    b.putInt(MAGIC)
        .put((byte) VERSION)
        .put((byte) macs.signingKeyId())
        .put((byte) groupId)
        .put((byte) (m.goodbye() ? KIND_GOODBYE : KIND_HELLO))
        .putInt(clusterId)
        .put((byte) m.role().ordinal())
        .put((byte) id.length)
        .putShort((short) 0)
        .putLong(m.incarnation())
        .put(m.nonce())
        .put(m.echo())
        .put(id);
    macs.sign(bytes, b.position());
    return ByteBuffer.wrap(bytes);
  }

  /** The message in {@code packet} from its position to its limit; never throws for any content. */
  Decoded decode(ByteBuffer packet) {
    ByteBuffer p = packet.slice();
    int len = p.remaining();
    if (len < 5 || p.getInt(0) != MAGIC) {
      return new Rejected(DropReason.MALFORMED);
    }
    if ((p.get(4) & 0xff) != VERSION) {
      return new Rejected(DropReason.UNSUPPORTED_VERSION);
    }
    if (len < MIN_BYTES || len > MAX_BYTES) {
      return new Rejected(DropReason.MALFORMED);
    }
    int keyId = p.get(5) & 0xff;
    int group = p.get(6) & 0xff;
    int kind = p.get(7) & 0xff;
    int cluster = p.getInt(8);
    int role = p.get(12) & 0xff;
    int idLen = p.get(13) & 0xff;
    if (idLen < 1 || len != HEADER_BYTES + idLen + KeyedMacs.BYTES || p.getShort(14) != 0
        || (kind != KIND_HELLO && kind != KIND_GOODBYE) || role >= ROLES.length) {
      return new Rejected(DropReason.MALFORMED);
    }
    byte[] bytes = new byte[len];
    p.get(0, bytes);
    DropReason refused = macs.authenticate(cluster, group, keyId, bytes);
    if (refused != null) {
      return new Rejected(refused);
    }
    NodeId node = NodeIdBytes.decode(bytes, HEADER_BYTES, idLen);
    if (node == null) {
      return new Rejected(DropReason.MALFORMED);
    }
    return new Valid(new WitnessMessage(kind == KIND_GOODBYE, node, ROLES[role], p.getLong(16),
        Arrays.copyOfRange(bytes, 24, 40), Arrays.copyOfRange(bytes, 40, 56)), keyId);
  }

  @Override
  public String toString() {
    return "WitnessCodec[cluster " + clusterId + ", group " + groupId + "]";
  }
}
