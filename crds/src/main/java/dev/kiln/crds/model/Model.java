package dev.kiln.crds.model;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A model Kiln serves from the workers of one GpuPool. */
@Group("kiln.dev")
@Version("v1alpha1")
@ShortNames("kmodel")
@Categories("kiln")
@AdditionalPrinterColumn(name = "Pool", jsonPath = ".spec.pool", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Policy", jsonPath = ".spec.residency.policy", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Resident", jsonPath = ".status.residentReplicas", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.readyReplicas", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Queue", jsonPath = ".status.queueDepth", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class Model extends CustomResource<ModelSpec, ModelStatus> implements Namespaced {

  private static final long serialVersionUID = 1L;

  @Override
  protected ModelSpec initSpec() {
    return new ModelSpec();
  }

  @Override
  protected ModelStatus initStatus() {
    return new ModelStatus();
  }
}
