package io.ha4j.heartbeat.witness;

import io.ha4j.api.Role;
import io.ha4j.api.transport.WitnessTransport.CloseReason;
import io.ha4j.api.transport.WitnessTransport.WitnessConnection;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * This member's witness endpoint, as the one watched: it answers a backup's hello with its own
 * (its role, so that a backup learns that it is not master), keeps the connections while it is
 * master, and ends every one of them with a goodbye: when it is not master, when it leaves MASTER,
 * when it stops, and when handling one fails. Bounded ({@link #MAX_CONNECTIONS}). Guarded by the
 * election's lock.
 */
final class Witnessed {

  /** More than the backups of any group; further connections are closed at once. */
  static final int MAX_CONNECTIONS = 256;

  private final DeathWitness w;
  private final Set<Accepted> open = new LinkedHashSet<>();

  Witnessed(DeathWitness w) {
    this.w = w;
  }

  /** On the transport's thread: a connection arrived at our endpoint. */
  void accept(WitnessConnection c) {
    Accepted a = new Accepted(c);
    c.attach(a);
    w.later(a::register);
  }

  /** Ends every connection with a goodbye: this member is not master (any more). */
  void goodbyeAll() {
    List<Accepted> all = new ArrayList<>(open);
    open.clear();
    for (Accepted a : all) {
      a.goodbye();
    }
  }

  private final class Accepted implements WitnessConnection.Handler {
    final WitnessConnection connection;
    final byte[] nonce = DeathWitness.nonce();
    byte[] peerNonce = WitnessMessage.NO_ECHO;
    boolean closed;

    Accepted(WitnessConnection connection) {
      this.connection = connection;
    }

    void register() {
      if (closed) {
        return;
      }
      w.counters.accepted++;
      if (open.size() >= MAX_CONNECTIONS) {
        closed = true;
        connection.close();
        return;
      }
      open.add(this);
    }

    void goodbye() {
      if (!closed) {
        closed = true;
        open.remove(this);
        w.goodbyeAndClose(connection, nonce, peerNonce);
      }
    }

    @Override
    public void opened(WitnessConnection c) {}

    @Override
    public void received(WitnessConnection c, ByteBuffer message) {
      ByteBuffer copy = DeathWitness.copy(message);
      w.later(() -> {
        try {
          onMessage(copy);
        } catch (RuntimeException e) {
          // An error on the master's side: the backup must hear a goodbye, not a silent close.
          w.log.error("{}: witness connection from {} failed; closing it with a goodbye", w.name, c.peer(), e);
          goodbye();
        }
      });
    }

    @Override
    public void closed(WitnessConnection c, CloseReason reason) {
      w.later(() -> {
        closed = true;
        open.remove(this);
      });
    }

    private void onMessage(ByteBuffer bytes) {
      if (closed) {
        return;
      }
      WitnessMessage m = w.decode(bytes);
      if (m == null || m.goodbye()) {
        return; // a backup's goodbye: its close follows
      }
      peerNonce = m.nonce();
      w.send(connection, false, nonce, peerNonce);
      if (w.role() != Role.MASTER) {
        goodbye();
      }
    }
  }
}
