package dev.kiln.crds.gpupool;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.List;

/** The observed state of a pool. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class GpuPoolStatus {

  @JsonPropertyDescription("The metadata.generation this status describes.")
  private Long observedGeneration;

  @JsonPropertyDescription("Workers the placement needs plus warm spares, within bounds.")
  private Integer desiredWorkers;

  @JsonPropertyDescription("Worker pods that exist.")
  private Integer currentWorkers;

  @JsonPropertyDescription("Worker pods that are Ready.")
  private Integer readyWorkers;

  @JsonPropertyDescription("Ready workers serving no request.")
  private Integer idleWorkers;

  @JsonPropertyDescription("GPU memory held by resident models, across workers.")
  private Quantity gpuMemoryUsed;

  @JsonPropertyDescription("GPU memory of all ready workers.")
  private Quantity gpuMemoryTotal;

  @JsonPropertyDescription("Standard conditions (type, status, reason, message, lastTransitionTime, observedGeneration); see the README for the types and reasons.")
  private List<Condition> conditions;

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public Integer getDesiredWorkers() {
    return desiredWorkers;
  }

  public void setDesiredWorkers(Integer desiredWorkers) {
    this.desiredWorkers = desiredWorkers;
  }

  public Integer getCurrentWorkers() {
    return currentWorkers;
  }

  public void setCurrentWorkers(Integer currentWorkers) {
    this.currentWorkers = currentWorkers;
  }

  public Integer getReadyWorkers() {
    return readyWorkers;
  }

  public void setReadyWorkers(Integer readyWorkers) {
    this.readyWorkers = readyWorkers;
  }

  public Integer getIdleWorkers() {
    return idleWorkers;
  }

  public void setIdleWorkers(Integer idleWorkers) {
    this.idleWorkers = idleWorkers;
  }

  public Quantity getGpuMemoryUsed() {
    return gpuMemoryUsed;
  }

  public void setGpuMemoryUsed(Quantity gpuMemoryUsed) {
    this.gpuMemoryUsed = gpuMemoryUsed;
  }

  public Quantity getGpuMemoryTotal() {
    return gpuMemoryTotal;
  }

  public void setGpuMemoryTotal(Quantity gpuMemoryTotal) {
    this.gpuMemoryTotal = gpuMemoryTotal;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }
}
