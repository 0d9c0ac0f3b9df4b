package io.ha4j.it.vip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ha4j.api.VirtualAddress;
import io.ha4j.api.address.AddressEvent;
import io.ha4j.core.time.VirtualScheduler;
import io.ha4j.testkit.vip.FakeAddressKernel;
import io.ha4j.vip.VipOwner;
import io.ha4j.vip.codec.MacAddress;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * issue 16 items 1 and 8: links as the VIP owner reports them (interfaces deleted and re-created,
 * interfaces without a VIP, state lost with ENOBUFS) and the add after an ambiguous reply.
 */
class VipOwnerLinkTest {

  private static final MacAddress MAC = MacAddress.parse("02:00:00:00:00:01");
  private final FakeAddressKernel kernel = new FakeAddressKernel();
  private final VirtualScheduler scheduler = VirtualScheduler.create();
  private final List<AddressEvent> events = new ArrayList<>();
  private VirtualAddress vip;
  private VipOwner owner;

  @BeforeEach
  void setUp() throws Exception {
    kernel.addInterface("eth0", MAC);
    kernel.addInterface("eth1", MacAddress.parse("02:00:00:00:00:02"));
    vip = VirtualAddress.of(InetAddress.getByName("198.51.100.100"), 24, "eth0");
  }

  private void build(VipOwner.Builder b) {
    owner = b.build();
    owner.watch(events::add);
  }

  @AfterEach
  void tearDown() {
    if (owner != null) {
      owner.close();
    }
  }

  private void settle() {
    scheduler.clock().advanceBy(Duration.ofMillis(1));
  }

  @Test
  void anAddWhoseAnswerIsLostSucceedsWhenTheKernelHasTheAddress() {
    build(VipOwner.builder(kernel, scheduler).manage(vip));
    owner.prepare(); // the interface is known: the lost answer is the add's
    kernel.loseReplies(1);
    owner.add(vip);
    assertTrue(kernel.has("eth0", vip.address()));
    assertEquals(java.util.Set.of(vip), owner.owned(), "the re-read found it: the owner holds it");
  }

  @Test
  void aDeletedAndRecreatedInterfaceIsReportedDownThenUp() {
    build(VipOwner.builder(kernel, scheduler).manage(vip));
    owner.add(vip);
    kernel.deleteInterface("eth0");
    settle();
    kernel.addInterface("eth0", MacAddress.parse("02:00:00:00:00:09"));
    settle();
    List<AddressEvent> links = events.stream().filter(e -> !(e instanceof AddressEvent.AddressRemoved)).toList();
    assertEquals(List.of(new AddressEvent.LinkDown("eth0"), new AddressEvent.LinkUp("eth0")), links);
  }

  @Test
  void anInterfaceWithoutAVipIsWatchedWhenAsked() {
    build(VipOwner.builder(kernel, scheduler).manage(vip).watchInterfaces("eth1"));
    kernel.setLink("eth1", false);
    settle();
    kernel.setLink("eth1", true);
    settle();
    assertEquals(List.of(new AddressEvent.LinkDown("eth1"), new AddressEvent.LinkUp("eth1")), events);
  }

  @Test
  void anInterfaceDownAtStartIsListedAsDown() {
    kernel.setLink("eth1", false);
    build(VipOwner.builder(kernel, scheduler).manage(vip).watchInterfaces("eth1", "nosuch0"));
    assertEquals(List.of("eth1", "nosuch0"), owner.interfacesDown());
  }

  @Test
  void linkStateLostWithEnobufsIsResynchronised() {
    build(VipOwner.builder(kernel, scheduler).manage(vip));
    owner.add(vip);
    kernel.dropNotifications(true);
    kernel.setLink("eth0", false);
    kernel.dropNotifications(false);
    kernel.overrun();
    settle();
    assertEquals(List.of(new AddressEvent.LinkDown("eth0")), events);
  }
}
