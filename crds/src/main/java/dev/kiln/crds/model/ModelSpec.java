package dev.kiln.crds.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Quantity;

/** The desired state of a model served by Kiln. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class ModelSpec {

  @Required
  @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
  @ValidationRule(value = "self == oldSelf", message = "pool is immutable: create a new Model on the other pool, then delete this one")
  @JsonPropertyDescription("Name of the GpuPool, in this namespace, whose workers serve the model. Immutable.")
  private String pool;

  @Required
  @JsonPropertyDescription("Where the model files come from.")
  private ModelSource source;

  @Required
  @JsonPropertyDescription("What the model does, which fixes its request and response shapes.")
  private ModelTask task;

  @Default("onnx")
  @JsonPropertyDescription("File format of the model.")
  private ModelFormat format;

  @ValidationRule(value = "type(self) == int ? self >= 0 : isQuantity(self) && !quantity(self).isLessThan(quantity('0'))", message = "gpuMemory must be a quantity such as 6Gi")
  @JsonPropertyDescription("GPU memory one loaded replica needs; the runtime's measurement replaces it when larger.")
  private Quantity gpuMemory;

  @Default("{}")
  @JsonPropertyDescription("Residency policy and replica bounds.")
  private Residency residency;

  @Default("1")
  @Min(1)
  @Max(1024)
  @JsonPropertyDescription("Requests one replica should run at once; the autoscaler sizes replicas to it.")
  private Integer targetConcurrency;

  @Default("{}")
  @JsonPropertyDescription("Request batching.")
  private Batching batching;

  @PreserveUnknownFields
  @JsonPropertyDescription("The task's own settings, passed to the runtime as they are, e.g. serviceTimeMillis and memoryBytes of a synthetic model.")
  private ObjectNode options;

  @Default("false")
  @JsonPropertyDescription("Stops rolling out a changed version, at once: the version serving keeps serving, and the new one "
      + "is neither loaded beside it nor switched to until this is false again.")
  private Boolean paused;

  @Default("0")
  @ValidationRule(value = "self.matches('^[0-9]+(\\\\.[0-9]+)?$')", message = "pricePerSecond must be a non-negative decimal such as \"0.0012\"")
  @JsonPropertyDescription("Price of one second of compute on this model, a non-negative decimal, charged to API keys.")
  private String pricePerSecond;

  public String getPool() {
    return pool;
  }

  public void setPool(String pool) {
    this.pool = pool;
  }

  public ModelSource getSource() {
    return source;
  }

  public void setSource(ModelSource source) {
    this.source = source;
  }

  public ModelTask getTask() {
    return task;
  }

  public void setTask(ModelTask task) {
    this.task = task;
  }

  public ModelFormat getFormat() {
    return format;
  }

  public void setFormat(ModelFormat format) {
    this.format = format;
  }

  public Quantity getGpuMemory() {
    return gpuMemory;
  }

  public void setGpuMemory(Quantity gpuMemory) {
    this.gpuMemory = gpuMemory;
  }

  public Residency getResidency() {
    return residency;
  }

  public void setResidency(Residency residency) {
    this.residency = residency;
  }

  public Integer getTargetConcurrency() {
    return targetConcurrency;
  }

  public void setTargetConcurrency(Integer targetConcurrency) {
    this.targetConcurrency = targetConcurrency;
  }

  public Batching getBatching() {
    return batching;
  }

  public void setBatching(Batching batching) {
    this.batching = batching;
  }

  public ObjectNode getOptions() {
    return options;
  }

  public void setOptions(ObjectNode options) {
    this.options = options;
  }

  public String getPricePerSecond() {
    return pricePerSecond;
  }

  public void setPricePerSecond(String pricePerSecond) {
    this.pricePerSecond = pricePerSecond;
  }

  public Boolean getPaused() {
    return paused;
  }

  public void setPaused(Boolean paused) {
    this.paused = paused;
  }
}
