package io.ha4j.api.table;

import io.ha4j.api.RealServer;
import io.ha4j.api.ServiceKey;
import io.ha4j.api.VirtualService;
import java.util.Objects;

/** One change to a load-balancer table: the ipvsadm {@code -A -E -D -a -e -d} commands. */
public sealed interface TableOp {

  /** The virtual service this op concerns. */
  ServiceKey serviceKey();

  /** This op in an operator's words, for logs and timelines. */
  default String describe() {
    if (this instanceof AddService a) {
      return "added virtual service " + a.serviceKey() + " scheduler " + a.service().scheduler();
    } else if (this instanceof UpdateService u) {
      return "edited virtual service " + u.serviceKey() + " scheduler " + u.service().scheduler()
          + " persistence " + u.service().persistenceTimeoutSeconds() + "s";
    } else if (this instanceof DeleteService) {
      return "deleted virtual service " + serviceKey();
    } else if (this instanceof AddRealServer a) {
      return "added real server " + a.realServer().endpoint() + " weight " + a.realServer().weight()
          + " to " + a.serviceKey();
    } else if (this instanceof UpdateRealServer u) {
      return "edited real server " + u.realServer().endpoint() + " weight " + u.realServer().weight()
          + " of " + u.serviceKey();
    } else if (this instanceof DeleteRealServer d) {
      return "deleted real server " + d.endpoint() + " from " + d.serviceKey();
    }
    return toString();
  }

  /** Create a virtual service (ipvsadm {@code -A}); fails if it exists. */
  record AddService(VirtualService service) implements TableOp {
    public AddService {
      Objects.requireNonNull(service, "service");
    }

    @Override
    public ServiceKey serviceKey() {
      return service.key();
    }
  }

  /** Change scheduler, flags or persistence of a service (ipvsadm {@code -E}). */
  record UpdateService(VirtualService service) implements TableOp {
    public UpdateService {
      Objects.requireNonNull(service, "service");
    }

    @Override
    public ServiceKey serviceKey() {
      return service.key();
    }
  }

  /** Delete a virtual service and its real servers (ipvsadm {@code -D}). */
  record DeleteService(ServiceKey serviceKey) implements TableOp {
    public DeleteService {
      Objects.requireNonNull(serviceKey, "serviceKey");
    }
  }

  /** Add a real server to a service (ipvsadm {@code -a}). */
  record AddRealServer(ServiceKey serviceKey, RealServer realServer) implements TableOp {
    public AddRealServer {
      Objects.requireNonNull(serviceKey, "serviceKey");
      Objects.requireNonNull(realServer, "realServer");
    }
  }

  /** Change weight, forwarding or thresholds of a real server (ipvsadm {@code -e}). */
  record UpdateRealServer(ServiceKey serviceKey, RealServer realServer) implements TableOp {
    public UpdateRealServer {
      Objects.requireNonNull(serviceKey, "serviceKey");
      Objects.requireNonNull(realServer, "realServer");
    }
  }

  /** Remove a real server from a service (ipvsadm {@code -d}). */
  record DeleteRealServer(ServiceKey serviceKey, RealServer.Endpoint endpoint) implements TableOp {
    public DeleteRealServer {
      Objects.requireNonNull(serviceKey, "serviceKey");
      Objects.requireNonNull(endpoint, "endpoint");
    }
  }
}
