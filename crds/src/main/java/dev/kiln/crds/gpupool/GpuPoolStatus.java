package dev.kiln.crds.gpupool;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.kiln.crds.status.KilnStatus;
import io.fabric8.kubernetes.api.model.Quantity;

/** The observed state of a pool. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class GpuPoolStatus extends KilnStatus {

  @JsonPropertyDescription("Workers the placement needs plus warm spares, within bounds.")
  private Integer desiredWorkers;

  @JsonPropertyDescription("Worker pods that exist.")
  private Integer currentWorkers;

  @JsonPropertyDescription("Worker pods that are Ready.")
  private Integer readyWorkers;

  @JsonPropertyDescription("Worker pods made from the current template.")
  private Integer updatedWorkers;

  @JsonPropertyDescription("Ready workers serving no request.")
  private Integer idleWorkers;

  @JsonPropertyDescription("GPU memory held by resident models, across workers.")
  private Quantity gpuMemoryUsed;

  @JsonPropertyDescription("GPU memory of all ready workers.")
  private Quantity gpuMemoryTotal;

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

  public Integer getUpdatedWorkers() {
    return updatedWorkers;
  }

  public void setUpdatedWorkers(Integer updatedWorkers) {
    this.updatedWorkers = updatedWorkers;
  }
}
