package dev.kiln.operator.pool;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import dev.kiln.crds.gpupool.GpuPool;
import dev.kiln.crds.worker.WorkerPodMetadata;
import java.util.Map;

/** The labels on everything a pool owns; the operator's informers select on {@link #MANAGED_BY_KILN}. */
public final class PoolLabels {

  public static final String POOL = WorkerPodMetadata.POOL;
  public static final String WORKER = WorkerPodMetadata.WORKER;
  public static final String TEMPLATE_HASH = WorkerPodMetadata.TEMPLATE_HASH;
  public static final String MANAGED_BY = WorkerPodMetadata.MANAGED_BY;
  public static final String MANAGED_BY_KILN = WorkerPodMetadata.MANAGED_BY_KILN;

  private PoolLabels() {}

  /** Selects a pool's worker pods. */
  public static Map<String, String> selector(GpuPool pool) {
    return Map.of(POOL, pool.getMetadata().getName());
  }

  /** Name, namespace, the pool and managed-by labels, and a controller reference to the pool. */
  static ObjectMeta ownedMetadata(GpuPool pool, String name) {
    return new ObjectMetaBuilder()
        .withName(name)
        .withNamespace(pool.getMetadata().getNamespace())
        .addToLabels(POOL, pool.getMetadata().getName())
        .addToLabels(MANAGED_BY, WorkerPodMetadata.KILN)
        .withOwnerReferences(controllerReference(pool))
        .build();
  }

  private static OwnerReference controllerReference(GpuPool pool) {
    return new OwnerReferenceBuilder()
        .withApiVersion(pool.getApiVersion())
        .withKind(pool.getKind())
        .withName(pool.getMetadata().getName())
        .withUid(pool.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }
}
