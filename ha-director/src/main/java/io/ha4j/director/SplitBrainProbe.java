package io.ha4j.director;

import io.ha4j.api.address.AddressEvent;
import io.ha4j.heartbeat.VrrpElection;
import java.util.function.Consumer;

/**
 * Hands the VIP owner's address conflicts (another host's ARP or neighbour advertisement claims a
 * VIP we hold) to the election, which probes its peers until one answers (issue 17 item 2): a split
 * brain whose election traffic a firewall drops then heals within milliseconds of the fix. The
 * election writes the ERROR line; the owner and the election count the conflicts and the probes.
 */
final class SplitBrainProbe implements Consumer<AddressEvent> {

  private final VrrpElection election;

  SplitBrainProbe(VrrpElection election) {
    this.election = election;
  }

  @Override
  public void accept(AddressEvent e) {
    if (e instanceof AddressEvent.AddressConflict c) {
      election.probePeers(c.address() + " claimed by " + c.hardwareAddress());
    }
  }
}
