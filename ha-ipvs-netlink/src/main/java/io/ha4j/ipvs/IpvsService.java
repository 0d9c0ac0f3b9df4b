package io.ha4j.ipvs;

import io.ha4j.api.VirtualService;
import java.util.Objects;

/**
 * A virtual service as the kernel reports it.
 *
 * @param service the service in ha4j's model
 * @param kernelFlags the kernel's {@code IP_VS_SVC_F_*} bits, including ones the model derives
 *     (persistent) or the kernel sets ({@code HASHED})
 * @param stats the service's counters
 */
public record IpvsService(VirtualService service, int kernelFlags, IpvsStats stats) {
  public IpvsService {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(stats, "stats");
  }
}
