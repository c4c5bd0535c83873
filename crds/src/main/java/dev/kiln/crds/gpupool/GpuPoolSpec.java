package dev.kiln.crds.gpupool;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Quantity;

/** The desired state of a pool of dedicated GPU workers. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@ValidationRule(value = "self.warmSpares <= self.workers.max", message = "warmSpares must not exceed workers.max: spares are workers too, so raise workers.max or lower warmSpares")
@ValidationRule(value = "self.gpusPerWorker == 0 || has(self.gpuMemoryPerWorker)", message = "gpuMemoryPerWorker is required when gpusPerWorker > 0: set the GPU memory models may use on one worker, e.g. 80Gi")
public class GpuPoolSpec {

  @Default("1")
  @Min(0)
  @Max(16)
  @ValidationRule(value = "self == oldSelf", message = "gpusPerWorker is immutable: create a new GpuPool with the new size and move the models to it")
  @JsonPropertyDescription("GPUs each worker pod requests; 0 makes a CPU pool. Immutable.")
  private Integer gpusPerWorker;

  @Default("nvidia.com/gpu")
  @Pattern("^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[a-z0-9]([-a-z0-9_.]*[a-z0-9])?$")
  @JsonPropertyDescription("The extended resource that GPUs are requested as.")
  private String gpuResource;

  @ValidationRule(value = "type(self) == int ? self >= 0 : isQuantity(self) && !quantity(self).isLessThan(quantity('0'))", message = "gpuMemoryPerWorker must be a quantity such as 80Gi")
  @JsonPropertyDescription("GPU memory usable by models on one worker, e.g. 80Gi for an H100.")
  private Quantity gpuMemoryPerWorker;

  @Required
  @JsonPropertyDescription("Bounds on the number of workers.")
  private WorkerBounds workers;

  @Default("1")
  @Min(0)
  @Max(100)
  @JsonPropertyDescription("Idle, fully started workers kept beyond demand, so new load never waits for a pod to start.")
  private Integer warmSpares;

  @JsonPropertyDescription("Image of the Kiln runtime the workers run; the chart's default when unset.")
  private String runtimeImage;

  @JsonPropertyDescription("Overrides for worker pods: node selection, tolerations, affinity, resources, priority.")
  private WorkerTemplate template;

  @Default("{}")
  @JsonPropertyDescription("Node-local model cache.")
  private ModelCache modelCache;

  @Default("0")
  @ValidationRule(value = "self.matches('^[0-9]+(\\\\.[0-9]+)?$')", message = "pricePerGpuSecond must be a non-negative decimal such as \"0.00095\"")
  @JsonPropertyDescription("Price of one allocated GPU-second, a non-negative decimal, for cost reporting.")
  private String pricePerGpuSecond;

  @Default("USD")
  @Pattern("^[A-Z]{3}$")
  @JsonPropertyDescription("ISO 4217 currency of the prices.")
  private String currency;

  @Default("5m")
  @ValidationRule(value = "self.matches('^([0-9]+(ms|s|m|h))+$')", message = "scaleDownDelay must be a duration such as 90s, 5m or 1h30m")
  @JsonPropertyDescription("How long the pool must have more workers than it needs before the surplus is drained and removed, e.g. 90s; 5m by default. "
      + "Demand that returns sooner restarts the clock; adding workers is never delayed.")
  private String scaleDownDelay;

  @Default("{}")
  @JsonPropertyDescription("How workers are replaced when the template changes (image, resources, node selection, ...).")
  private RolloutStrategy rollout;

  @Default("false")
  @JsonPropertyDescription("Stops rolling workers to a changed template, at once; unpausing resumes from where it stopped.")
  private Boolean paused;

  public Integer getGpusPerWorker() {
    return gpusPerWorker;
  }

  public void setGpusPerWorker(Integer gpusPerWorker) {
    this.gpusPerWorker = gpusPerWorker;
  }

  public String getGpuResource() {
    return gpuResource;
  }

  public void setGpuResource(String gpuResource) {
    this.gpuResource = gpuResource;
  }

  public Quantity getGpuMemoryPerWorker() {
    return gpuMemoryPerWorker;
  }

  public void setGpuMemoryPerWorker(Quantity gpuMemoryPerWorker) {
    this.gpuMemoryPerWorker = gpuMemoryPerWorker;
  }

  public WorkerBounds getWorkers() {
    return workers;
  }

  public void setWorkers(WorkerBounds workers) {
    this.workers = workers;
  }

  public Integer getWarmSpares() {
    return warmSpares;
  }

  public void setWarmSpares(Integer warmSpares) {
    this.warmSpares = warmSpares;
  }

  public String getRuntimeImage() {
    return runtimeImage;
  }

  public void setRuntimeImage(String runtimeImage) {
    this.runtimeImage = runtimeImage;
  }

  public WorkerTemplate getTemplate() {
    return template;
  }

  public void setTemplate(WorkerTemplate template) {
    this.template = template;
  }

  public ModelCache getModelCache() {
    return modelCache;
  }

  public void setModelCache(ModelCache modelCache) {
    this.modelCache = modelCache;
  }

  public String getPricePerGpuSecond() {
    return pricePerGpuSecond;
  }

  public void setPricePerGpuSecond(String pricePerGpuSecond) {
    this.pricePerGpuSecond = pricePerGpuSecond;
  }

  public String getCurrency() {
    return currency;
  }

  public void setCurrency(String currency) {
    this.currency = currency;
  }

  public String getScaleDownDelay() {
    return scaleDownDelay;
  }

  public void setScaleDownDelay(String scaleDownDelay) {
    this.scaleDownDelay = scaleDownDelay;
  }

  public RolloutStrategy getRollout() {
    return rollout;
  }

  public void setRollout(RolloutStrategy rollout) {
    this.rollout = rollout;
  }

  public Boolean getPaused() {
    return paused;
  }

  public void setPaused(Boolean paused) {
    this.paused = paused;
  }
}
