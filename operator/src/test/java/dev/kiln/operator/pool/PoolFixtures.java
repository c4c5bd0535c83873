package dev.kiln.operator.pool;

import dev.kiln.crds.gpupool.GpuPool;
import dev.kiln.crds.gpupool.WorkerBounds;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;

/** Pools and worker pods as the API server would return them, for unit tests. */
final class PoolFixtures {

  private PoolFixtures() {}

  static GpuPool pool(int gpusPerWorker, int min, int warmSpares, int max) {
    GpuPool pool = new GpuPool();
    pool.getMetadata().setName("alpha");
    pool.getMetadata().setNamespace("ml");
    pool.getMetadata().setUid("pool-uid");
    pool.getMetadata().setGeneration(4L);
    pool.getSpec().setGpusPerWorker(gpusPerWorker);
    pool.getSpec().setGpuMemoryPerWorker(new Quantity("80Gi"));
    WorkerBounds bounds = new WorkerBounds();
    bounds.setMin(min);
    bounds.setMax(max);
    pool.getSpec().setWorkers(bounds);
    pool.getSpec().setWarmSpares(warmSpares);
    return pool;
  }

  static Pod worker(String name, String created, String phase, boolean ready) {
    return new PodBuilder()
        .withNewMetadata().withName(name).withCreationTimestamp(created).endMetadata()
        .withNewStatus().withPhase(phase)
        .addNewCondition().withType("Ready").withStatus(ready ? "True" : "False").endCondition()
        .endStatus()
        .build();
  }

  static Pod unschedulable(String name, String message) {
    return new PodBuilder(worker(name, "2026-01-01T00:00:00Z", "Pending", false))
        .editStatus()
        .addNewCondition().withType("PodScheduled").withStatus("False").withReason("Unschedulable").withMessage(message).endCondition()
        .endStatus()
        .build();
  }

  static Pod terminating(Pod pod) {
    return new PodBuilder(pod).editMetadata().withDeletionTimestamp("2026-01-01T00:10:00Z").endMetadata().build();
  }
}
