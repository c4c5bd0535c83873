package dev.kiln.operator.pool;

import dev.kiln.crds.gpupool.GpuPool;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** The headless Service {@code <pool>-workers}: one DNS record per Ready worker, for the gateway to find them. */
@KubernetesDependent(informer = @Informer(labelSelector = PoolLabels.MANAGED_BY_KILN))
public class WorkersServiceDependent extends CRUDKubernetesDependentResource<Service, GpuPool> {

  public WorkersServiceDependent() {
    super(Service.class);
  }

  public static String name(GpuPool pool) {
    return pool.getMetadata().getName() + "-workers";
  }

  @Override
  protected Service desired(GpuPool pool, Context<GpuPool> context) {
    return new ServiceBuilder()
        .withMetadata(PoolLabels.ownedMetadata(pool, name(pool)))
        .withNewSpec()
        .withClusterIP("None")
        .withSelector(PoolLabels.selector(pool))
        .addNewPort().withName(WorkerPodTemplate.PORT_NAME).withPort(WorkerPodTemplate.PORT)
        .withNewTargetPort(WorkerPodTemplate.PORT_NAME).withProtocol("TCP").endPort()
        .endSpec()
        .build();
  }
}
