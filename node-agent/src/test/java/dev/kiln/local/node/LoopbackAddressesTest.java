package dev.kiln.local.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LoopbackAddressesTest {

  @Test
  void podAddressesAreUniqueValidLoopbackHostAddresses() {
    var addresses = new LoopbackAddresses();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      String address = addresses.allocatePodAddress();
      assertThat(seen.add(address)).as("unique: %s", address).isTrue();
      assertThat(address).matches("127\\.0\\.([1-9]|[1-9][0-9]|1[0-9][0-9]|2[0-5][0-9])\\.([1-9]|[1-9][0-9]|1[0-9][0-9]|2[0-4][0-9]|25[0-4])");
    }
  }

  @Test
  void releasedAddressIsNotHandedOutAgainStraightAway() {
    var addresses = new LoopbackAddresses();
    String first = addresses.allocatePodAddress();
    addresses.releasePodAddress(first);
    assertThat(addresses.allocatePodAddress()).isNotEqualTo(first);
  }
}
