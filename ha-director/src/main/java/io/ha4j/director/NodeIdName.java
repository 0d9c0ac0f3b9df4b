package io.ha4j.director;

import io.ha4j.api.NodeId;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The heartbeat's node id of a director: {@code router_id@source}, or the source address alone
 * without a router_id. Operators copy keepalived's sample {@code router_id LVS_DEVEL} to both
 * nodes; two nodes of one id each take the other's advertisements for their own and both stay
 * master. The node's own address makes copied configurations differ. A router_id too long for
 * {@link NodeId#MAX_BYTES} with the address is cut, with a warning.
 */
final class NodeIdName {

  private NodeIdName() {}

  /** The node id of {@code routerId} (or none) at {@code address}; {@code cut} hears the warning when the name is cut. */
  static String of(@Nullable String routerId, String address, Consumer<String> cut) {
    if (routerId == null) {
      return address;
    }
    int room = NodeId.MAX_BYTES - 1 - address.length();
    if (routerId.getBytes(StandardCharsets.UTF_8).length <= room) {
      return routerId + "@" + address;
    }
    StringBuilder name = new StringBuilder();
    int bytes = 0;
    for (int cp : routerId.codePoints().toArray()) {
      bytes += new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
      if (bytes > room) {
        break;
      }
      name.appendCodePoint(cp);
    }
    String id = name + "@" + address;
    cut.accept("router_id is cut to fit the node id '" + id + "' (" + NodeId.MAX_BYTES
        + " bytes at most, with the address)");
    return id;
  }
}
