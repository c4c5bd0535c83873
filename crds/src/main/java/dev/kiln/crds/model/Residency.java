package dev.kiln.crds.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

/** Where and how long the model stays loaded in GPU memory. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@ValidationRule(value = "!has(self.minReplicas) || !has(self.maxReplicas) || self.minReplicas <= self.maxReplicas", message = "residency.minReplicas must not exceed residency.maxReplicas: lower minReplicas or raise maxReplicas")
@ValidationRule(value = "!has(self.policy) || self.policy != 'Hot' || (has(self.minReplicas) && self.minReplicas >= 1)", message = "a Hot model must stay resident somewhere: set residency.minReplicas to 1 or more, or use policy OnDemand")
public class Residency {

  @Default("OnDemand")
  @JsonPropertyDescription("Hot: always resident on at least minReplicas workers. OnDemand: loaded when requested, unloaded after idleTimeout.")
  private ResidencyPolicy policy;

  @Default("0")
  @Min(0)
  @Max(1000)
  @JsonPropertyDescription("Fewest workers the model is resident on.")
  private Integer minReplicas;

  @Default("1")
  @Min(1)
  @Max(1000)
  @JsonPropertyDescription("Most workers the model may be resident on.")
  private Integer maxReplicas;

  @Default("10m")
  @ValidationRule(value = "self.matches('^([0-9]+(ms|s|m|h))+$')", message = "residency.idleTimeout must be a duration such as 90s, 10m or 1h")
  @JsonPropertyDescription("How long an OnDemand model may go unused before it is unloaded, e.g. 10m.")
  private String idleTimeout;

  public ResidencyPolicy getPolicy() {
    return policy;
  }

  public void setPolicy(ResidencyPolicy policy) {
    this.policy = policy;
  }

  public Integer getMinReplicas() {
    return minReplicas;
  }

  public void setMinReplicas(Integer minReplicas) {
    this.minReplicas = minReplicas;
  }

  public Integer getMaxReplicas() {
    return maxReplicas;
  }

  public void setMaxReplicas(Integer maxReplicas) {
    this.maxReplicas = maxReplicas;
  }

  public String getIdleTimeout() {
    return idleTimeout;
  }

  public void setIdleTimeout(String idleTimeout) {
    this.idleTimeout = idleTimeout;
  }
}
