package dev.kiln.crds.gpupool;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** How many workers a pool may run. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@ValidationRule(value = "self.min <= self.max", message = "workers.min must not exceed workers.max: lower workers.min or raise workers.max")
public class WorkerBounds {

  @Default("0")
  @Min(0)
  @Max(1000)
  @JsonPropertyDescription("Fewest workers, kept even when idle.")
  private Integer min;

  @Required
  @Min(1)
  @Max(1000)
  @JsonPropertyDescription("Most workers the pool may grow to.")
  private Integer max;

  public Integer getMin() {
    return min;
  }

  public void setMin(Integer min) {
    this.min = min;
  }

  public Integer getMax() {
    return max;
  }

  public void setMax(Integer max) {
    this.max = max;
  }
}
