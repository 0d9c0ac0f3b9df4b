package io.ha4j.heartbeat;

import io.ha4j.api.transport.Datagram;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/** ha4j's own format. The packet does not depend on the destination: one HMAC per advertisement. */
final class AuthenticatedWireFormat implements WireFormat {

  private final Supplier<AdvertisementCodec> codecs;
  private final AdvertisementCodec codec;
  private @Nullable Advertisement lastAdvertisement;
  private @Nullable ByteBuffer lastPacket;

  /** A format with a codec from {@code codecs}, which makes one for each {@link #screeningCopy()}. */
  AuthenticatedWireFormat(Supplier<AdvertisementCodec> codecs) {
    this.codecs = codecs;
    this.codec = codecs.get();
  }

  @Override
  public WireFormat screeningCopy() {
    return new AuthenticatedWireFormat(codecs);
  }

  @Override
  public ByteBuffer encode(Advertisement advertisement, InetSocketAddress destination) {
    ByteBuffer packet = lastPacket;
    if (packet == null || advertisement != lastAdvertisement) {
      packet = codec.encode(advertisement);
      lastPacket = packet;
      lastAdvertisement = advertisement;
    }
    return packet.duplicate();
  }

  /** A freshness challenge or response (package documentation, "Freshness"), positioned at 0. */
  ByteBuffer encode(Advertisement advertisement, AdvertisementCodec.Proof proof) {
    return codec.encode(advertisement, proof);
  }

  @Override
  public AdvertisementCodec.Decoded decode(Datagram datagram) {
    return codec.decode(datagram.payload());
  }
}
