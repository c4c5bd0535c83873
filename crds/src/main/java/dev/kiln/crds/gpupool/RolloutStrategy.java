package dev.kiln.crds.gpupool;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

/** How a pool replaces its workers when their template changes. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@ValidationRule(value = "(has(self.maxSurge) ? self.maxSurge : 1) + (has(self.maxUnavailable) ? self.maxUnavailable : 0) >= 1", message = "rollout.maxSurge and rollout.maxUnavailable cannot both be 0: a rollout could never replace a worker")
public class RolloutStrategy {

  @Default("1")
  @Min(0)
  @Max(100)
  @JsonPropertyDescription("Workers started with the new template beyond the desired count while old ones remain; 1 by default.")
  private Integer maxSurge;

  @Default("0")
  @Min(0)
  @Max(100)
  @JsonPropertyDescription("Ready workers the rollout may take away below the desired count; 0 by default, so models keep their replicas.")
  private Integer maxUnavailable;

  @Default("10m")
  @ValidationRule(value = "self.matches('^([0-9]+(ms|s|m|h))+$')", message = "rollout.progressDeadline must be a duration such as 90s, 10m or 1h")
  @JsonPropertyDescription("How long a new worker may take to become Ready before the rollout stops and says so (Progressing=False); 10m by default.")
  private String progressDeadline;

  public Integer getMaxSurge() {
    return maxSurge;
  }

  public void setMaxSurge(Integer maxSurge) {
    this.maxSurge = maxSurge;
  }

  public Integer getMaxUnavailable() {
    return maxUnavailable;
  }

  public void setMaxUnavailable(Integer maxUnavailable) {
    this.maxUnavailable = maxUnavailable;
  }

  public String getProgressDeadline() {
    return progressDeadline;
  }

  public void setProgressDeadline(String progressDeadline) {
    this.progressDeadline = progressDeadline;
  }
}
