package dev.kiln.crds.gpupool;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.Map;

/** Overrides for the worker pods the operator creates. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class WorkerTemplate {

  @JsonPropertyDescription("Node labels a worker's node must have, e.g. the GPU product.")
  private Map<String, String> nodeSelector;

  @JsonPropertyDescription("Tolerations for tainted GPU nodes.")
  private List<Toleration> tolerations;

  @JsonPropertyDescription("Node and pod affinity for workers.")
  private Affinity affinity;

  @JsonPropertyDescription("CPU and memory for the worker container; GPUs come from gpusPerWorker.")
  private ResourceRequirements resources;

  @JsonPropertyDescription("PriorityClass of the worker pods.")
  private String priorityClassName;

  @JsonPropertyDescription("Extra labels on worker pods.")
  private Map<String, String> labels;

  @JsonPropertyDescription("Extra annotations on worker pods.")
  private Map<String, String> annotations;

  public Map<String, String> getNodeSelector() {
    return nodeSelector;
  }

  public void setNodeSelector(Map<String, String> nodeSelector) {
    this.nodeSelector = nodeSelector;
  }

  public List<Toleration> getTolerations() {
    return tolerations;
  }

  public void setTolerations(List<Toleration> tolerations) {
    this.tolerations = tolerations;
  }

  public Affinity getAffinity() {
    return affinity;
  }

  public void setAffinity(Affinity affinity) {
    this.affinity = affinity;
  }

  public ResourceRequirements getResources() {
    return resources;
  }

  public void setResources(ResourceRequirements resources) {
    this.resources = resources;
  }

  public String getPriorityClassName() {
    return priorityClassName;
  }

  public void setPriorityClassName(String priorityClassName) {
    this.priorityClassName = priorityClassName;
  }

  public Map<String, String> getLabels() {
    return labels;
  }

  public void setLabels(Map<String, String> labels) {
    this.labels = labels;
  }

  public Map<String, String> getAnnotations() {
    return annotations;
  }

  public void setAnnotations(Map<String, String> annotations) {
    this.annotations = annotations;
  }
}
