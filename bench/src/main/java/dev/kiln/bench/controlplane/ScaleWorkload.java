package dev.kiln.bench.controlplane;

import dev.kiln.crds.gpupool.GpuPool;
import dev.kiln.crds.gpupool.GpuPoolSpec;
import dev.kiln.crds.gpupool.WorkerBounds;
import dev.kiln.crds.model.Model;
import dev.kiln.crds.model.ModelSource;
import dev.kiln.crds.model.ModelTask;
import dev.kiln.crds.model.Residency;
import dev.kiln.crds.model.ResidencyPolicy;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The objects one round applies at once: pools of a fixed number of one-GPU workers with 80Gi each,
 * and synthetic Models spread over them in turn. Of every four models two are Hot with one replica,
 * one is OnDemand with one replica kept warm, and one is OnDemand with none (nothing to load until a
 * request comes); they ask for 4, 8, 12 or 16Gi, so a pool's resident models fill about a quarter of
 * its memory and every one fits.
 */
final class ScaleWorkload {

  private ScaleWorkload() {}

  static List<GpuPool> pools(String namespace, ScaleSize size, String runtimeImage) {
    return IntStream.range(0, size.pools()).mapToObj(i -> pool(namespace, poolName(i), size.workersPerPool(),
        runtimeImage)).toList();
  }

  static List<Model> models(String namespace, ScaleSize size) {
    return IntStream.range(0, size.models()).mapToObj(i -> model(namespace, i, poolName(i % size.pools()))).toList();
  }

  /** The replicas the models keep resident without traffic: their minimums. */
  static int residentReplicas(ScaleSize size) {
    return IntStream.range(0, size.models()).map(ScaleWorkload::minReplicas).sum();
  }

  private static int minReplicas(int index) {
    return index % 4 == 3 ? 0 : 1;
  }

  private static String poolName(int index) {
    return "pool-" + index;
  }

  private static GpuPool pool(String namespace, String name, int workers, String runtimeImage) {
    GpuPool pool = new GpuPool();
    pool.getMetadata().setName(name);
    pool.getMetadata().setNamespace(namespace);
    GpuPoolSpec spec = pool.getSpec();
    spec.setGpusPerWorker(1);
    spec.setGpuMemoryPerWorker(new Quantity("80Gi"));
    WorkerBounds bounds = new WorkerBounds();
    bounds.setMin(workers);
    bounds.setMax(workers);
    spec.setWorkers(bounds);
    spec.setWarmSpares(0);
    spec.setRuntimeImage(runtimeImage);
    return pool;
  }

  private static Model model(String namespace, int index, String pool) {
    Model model = new Model();
    model.getMetadata().setName("model-" + index);
    model.getMetadata().setNamespace(namespace);
    model.getSpec().setPool(pool);
    model.getSpec().setTask(ModelTask.SYNTHETIC);
    // Required by the CRD; a synthetic model's load leaves it out.
    ModelSource source = new ModelSource();
    source.setUri("file:///dev/null");
    model.getSpec().setSource(source);
    model.getSpec().setGpuMemory(new Quantity(4 * (1 + index % 4) + "Gi"));
    Residency residency = new Residency();
    residency.setPolicy(index % 4 < 2 ? ResidencyPolicy.HOT : ResidencyPolicy.ON_DEMAND);
    residency.setMinReplicas(minReplicas(index));
    residency.setMaxReplicas(2);
    model.getSpec().setResidency(residency);
    return model;
  }
}
