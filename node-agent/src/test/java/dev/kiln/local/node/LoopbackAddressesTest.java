package dev.kiln.local.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LoopbackAddressesTest {

  @Test
  void podAddressesAreUniqueValidLoopbackHostAddresses() {
    var addresses = new LoopbackAddresses(7);
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      String address = addresses.allocatePodAddress();
      assertThat(seen.add(address)).as("unique: %s", address).isTrue();
      assertThat(address).matches("127\\.7\\.([0-9]|[1-9][0-9]|1[0-9][0-9]|2[0-5][0-9])\\.([1-9]|[1-9][0-9]|1[0-9][0-9]|2[0-4][0-9]|25[0-4])");
    }
  }

  @Test
  void twoAllocatorsWithTheirOwnBlocksNeverShareAnAddress() {
    var one = new LoopbackAddresses(7);
    var other = new LoopbackAddresses(8);
    Set<String> fromOne = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      fromOne.add(one.allocatePodAddress());
    }
    for (int i = 0; i < 1000; i++) {
      assertThat(fromOne).doesNotContain(other.allocatePodAddress());
    }
  }

  @Test
  void aBlockOutsideTheSecondOctetIsRefused() {
    assertThatThrownBy(() -> new LoopbackAddresses(0)).hasMessageContaining("1 to 254, not 0");
    assertThatThrownBy(() -> new LoopbackAddresses(255)).hasMessageContaining("1 to 254, not 255");
  }

  @Test
  void releasedAddressIsNotHandedOutAgainStraightAway() {
    var addresses = new LoopbackAddresses(7);
    String first = addresses.allocatePodAddress();
    addresses.releasePodAddress(first);
    assertThat(addresses.allocatePodAddress()).isNotEqualTo(first);
  }
}
