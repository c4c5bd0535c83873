package dev.kiln.local.node;

import java.util.HashSet;
import java.util.Set;

/**
 * Hands out addresses in 127.0.0.0/8 for fake nodes (127.0.0.2-254) and pods (127.0.1.1 to
 * 127.0.255.254). Linux routes the whole range to the loopback interface, so a process can bind
 * its own address and be reached there. One allocator per JVM: addresses are a machine-wide
 * resource shared by every kubelet a test run starts.
 */
final class LoopbackAddresses {

  static final LoopbackAddresses SHARED = new LoopbackAddresses();

  private static final int FIRST_POD = 1 << 8 | 1; // 127.0.1.1
  private static final int LAST_POD = 255 << 8 | 254; // 127.0.255.254

  private final Set<Integer> podAddressesInUse = new HashSet<>();
  private int nextPod = FIRST_POD;
  private int nextNode = 2;

  synchronized String nodeAddress() {
    if (nextNode > 254) {
      nextNode = 2;
    }
    return "127.0.0." + nextNode++;
  }

  /** The next free pod address, cycling through the range so an address is rarely reused soon. */
  synchronized String allocatePodAddress() {
    for (int tried = 0; tried <= LAST_POD - FIRST_POD; tried++) {
      int candidate = nextPod;
      nextPod = nextPod >= LAST_POD ? FIRST_POD : nextPod + 1;
      if ((candidate & 0xff) == 0 || (candidate & 0xff) == 255) {
        continue;
      }
      if (podAddressesInUse.add(candidate)) {
        return "127.0." + (candidate >> 8) + "." + (candidate & 0xff);
      }
    }
    throw new IllegalStateException("all pod addresses in 127.0.1.0-127.0.255.255 are in use");
  }

  synchronized void releasePodAddress(String address) {
    String[] octets = address.split("\\.");
    podAddressesInUse.remove(Integer.parseInt(octets[2]) << 8 | Integer.parseInt(octets[3]));
  }
}
