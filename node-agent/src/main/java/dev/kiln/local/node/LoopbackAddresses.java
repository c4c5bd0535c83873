package dev.kiln.local.node;

import java.util.HashSet;
import java.util.Set;

/**
 * Hands out addresses in 127.0.0.0/8 for fake nodes (127.0.0.2-254) and pods. Linux routes the
 * whole range to the loopback interface, so a process can bind its own address and be reached
 * there. One allocator per JVM, which takes its pods' addresses from a block of its own,
 * {@code 127.B.0.1} to {@code 127.B.255.254} with {@code B} from the process id, so that node
 * agents in two JVMs at once (two test runs, a benchmark beside a test) do not hand out the same
 * pod address.
 */
final class LoopbackAddresses {

  static final LoopbackAddresses SHARED = new LoopbackAddresses(1 + (int) (ProcessHandle.current().pid() % 254));

  private static final int FIRST_POD = 1; // 127.B.0.1
  private static final int LAST_POD = 255 << 8 | 254; // 127.B.255.254

  private final int block;

  private final Set<Integer> podAddressesInUse = new HashSet<>();
  private int nextPod = FIRST_POD;
  private int nextNode = 2;

  LoopbackAddresses(int block) {
    if (block < 1 || block > 254) {
      throw new IllegalArgumentException("the pod block is the second octet, 1 to 254, not " + block);
    }
    this.block = block;
  }

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
        return "127." + block + "." + (candidate >> 8) + "." + (candidate & 0xff);
      }
    }
    throw new IllegalStateException("all pod addresses in 127." + block + ".0.0/16 are in use");
  }

  synchronized void releasePodAddress(String address) {
    String[] octets = address.split("\\.");
    podAddressesInUse.remove(Integer.parseInt(octets[2]) << 8 | Integer.parseInt(octets[3]));
  }
}
