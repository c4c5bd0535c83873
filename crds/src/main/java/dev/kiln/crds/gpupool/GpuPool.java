package dev.kiln.crds.gpupool;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A pool of dedicated, pre-warmed GPU workers that models are placed on. */
@Group("kiln.dev")
@Version("v1alpha1")
@ShortNames("gpool")
@Categories("kiln")
@AdditionalPrinterColumn(name = "GPUs", jsonPath = ".spec.gpusPerWorker", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.readyWorkers", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Desired", jsonPath = ".status.desiredWorkers", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Updated", jsonPath = ".status.updatedWorkers", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Idle", jsonPath = ".status.idleWorkers", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Scaling", jsonPath = ".status.conditions[?(@.type==\"Scaling\")].reason", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class GpuPool extends CustomResource<GpuPoolSpec, GpuPoolStatus> implements Namespaced {

  private static final long serialVersionUID = 1L;

  @Override
  protected GpuPoolSpec initSpec() {
    return new GpuPoolSpec();
  }

  @Override
  protected GpuPoolStatus initStatus() {
    return new GpuPoolStatus();
  }
}
