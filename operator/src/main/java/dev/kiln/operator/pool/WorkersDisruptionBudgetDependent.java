package dev.kiln.operator.pool;

import dev.kiln.crds.gpupool.GpuPool;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** At most one worker of a pool evicted at a time (node drains), so a pool never loses its models all at once. */
@KubernetesDependent(informer = @Informer(labelSelector = PoolLabels.MANAGED_BY_KILN))
public class WorkersDisruptionBudgetDependent extends CRUDKubernetesDependentResource<PodDisruptionBudget, GpuPool> {

  public WorkersDisruptionBudgetDependent() {
    super(PodDisruptionBudget.class);
  }

  @Override
  protected PodDisruptionBudget desired(GpuPool pool, Context<GpuPool> context) {
    return new PodDisruptionBudgetBuilder()
        .withMetadata(PoolLabels.ownedMetadata(pool, WorkersServiceDependent.name(pool)))
        .withNewSpec()
        .withMaxUnavailable(new IntOrString(1))
        .withNewSelector().withMatchLabels(PoolLabels.selector(pool)).endSelector()
        .endSpec()
        .build();
  }
}
