package dev.kiln.crds.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.kiln.crds.status.KilnStatus;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.List;

/** The observed state of a model. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class ModelStatus extends KilnStatus {

  @JsonPropertyDescription("Pending, Loading, Ready, Degraded or Failed.")
  private ModelPhase phase;

  @JsonPropertyDescription("Hash of the source and settings that requests go to. When the spec changes, the old version "
      + "serves until the new one is warm on the model's replicas, then every request goes to the new one.")
  private String version;

  @JsonPropertyDescription("Workers the model is loaded and warmed on.")
  private Integer residentReplicas;

  @JsonPropertyDescription("Resident replicas that serve traffic.")
  private Integer readyReplicas;

  @JsonPropertyDescription("Ready replicas of the spec's version, serving or loaded beside the old one; "
      + "below readyReplicas while a new version rolls out.")
  private Integer updatedReplicas;

  @JsonPropertyDescription("Worker pods the model is resident on.")
  private List<String> workers;

  @JsonPropertyDescription("When the model last finished loading on a worker (RFC 3339).")
  private String lastLoadTime;

  @JsonPropertyDescription("The most GPU memory one replica took, as the runtime measured it after a load; the planner counts the larger of this and spec.gpuMemory.")
  private Quantity measuredGpuMemory;

  @JsonPropertyDescription("When the model was last in use (RFC 3339), or applied if it has not been since; an OnDemand model is unloaded once this is residency.idleTimeout ago.")
  private String lastRequestTime;

  @JsonPropertyDescription("Replicas the autoscaler asks for, within residency.minReplicas and maxReplicas.")
  private Integer desiredReplicas;

  @JsonPropertyDescription("Why the autoscaler asks for desiredReplicas, e.g. holding 3: no signal from worker w-1 for 20s.")
  private String scalingReason;

  @JsonPropertyDescription("Requests waiting for this model.")
  private Long queueDepth;

  @JsonPropertyDescription("Recent arrivals per second, a decimal.")
  private String requestRate;

  @JsonPropertyDescription("Path of the model on the gateway.")
  private String endpoint;

  public ModelPhase getPhase() {
    return phase;
  }

  public void setPhase(ModelPhase phase) {
    this.phase = phase;
  }

  public String getVersion() {
    return version;
  }

  public void setVersion(String version) {
    this.version = version;
  }

  public Integer getResidentReplicas() {
    return residentReplicas;
  }

  public void setResidentReplicas(Integer residentReplicas) {
    this.residentReplicas = residentReplicas;
  }

  public Integer getReadyReplicas() {
    return readyReplicas;
  }

  public void setReadyReplicas(Integer readyReplicas) {
    this.readyReplicas = readyReplicas;
  }

  public List<String> getWorkers() {
    return workers;
  }

  public void setWorkers(List<String> workers) {
    this.workers = workers;
  }

  public String getLastLoadTime() {
    return lastLoadTime;
  }

  public void setLastLoadTime(String lastLoadTime) {
    this.lastLoadTime = lastLoadTime;
  }

  public Quantity getMeasuredGpuMemory() {
    return measuredGpuMemory;
  }

  public void setMeasuredGpuMemory(Quantity measuredGpuMemory) {
    this.measuredGpuMemory = measuredGpuMemory;
  }

  public String getLastRequestTime() {
    return lastRequestTime;
  }

  public void setLastRequestTime(String lastRequestTime) {
    this.lastRequestTime = lastRequestTime;
  }

  public Integer getDesiredReplicas() {
    return desiredReplicas;
  }

  public void setDesiredReplicas(Integer desiredReplicas) {
    this.desiredReplicas = desiredReplicas;
  }

  public String getScalingReason() {
    return scalingReason;
  }

  public void setScalingReason(String scalingReason) {
    this.scalingReason = scalingReason;
  }

  public Long getQueueDepth() {
    return queueDepth;
  }

  public void setQueueDepth(Long queueDepth) {
    this.queueDepth = queueDepth;
  }

  public String getRequestRate() {
    return requestRate;
  }

  public void setRequestRate(String requestRate) {
    this.requestRate = requestRate;
  }

  public String getEndpoint() {
    return endpoint;
  }

  public void setEndpoint(String endpoint) {
    this.endpoint = endpoint;
  }

  public Integer getUpdatedReplicas() {
    return updatedReplicas;
  }

  public void setUpdatedReplicas(Integer updatedReplicas) {
    this.updatedReplicas = updatedReplicas;
  }
}
