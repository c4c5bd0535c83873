package dev.kiln.bench.controlplane;

import dev.kiln.local.node.StatusOnlyStandIn;
import dev.kiln.operator.runtime.WorkerAdminClient;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Stands in for the runtime of every status-only worker pod with a {@link FakeWorkerRuntime} on the
 * pod's own address and the runtime's port. It binds only the addresses this JVM's node agent hands
 * its pods (127.B.x.y, B from the process id), never a node's (127.0.0.x) and never a wildcard, so
 * it cannot answer for another node agent's pods on this machine.
 */
final class FakeWorkerRuntimes implements StatusOnlyStandIn, AutoCloseable {

  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final FakeRuntimeTally tally = new FakeRuntimeTally();

  @Override
  public AutoCloseable start(Pod pod, Container container, String podIp) throws IOException {
    if (!podIp.startsWith("127.") || podIp.startsWith("127.0.")) {
      throw new IOException("a fake runtime binds only a pod's own loopback address, not " + podIp);
    }
    return FakeWorkerRuntime.start(podIp, WorkerAdminClient.PORT, executor, tally);
  }

  /** The loads and unloads every fake runtime took so far. */
  FakeRuntimeTally tally() {
    return tally;
  }

  @Override
  public void close() {
    executor.close();
  }
}
