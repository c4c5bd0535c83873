package dev.kiln.crds.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

/** How requests are grouped into one inference. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class Batching {

  @Default("1")
  @Min(1)
  @Max(1024)
  @JsonPropertyDescription("Most requests run together; 1 turns batching off.")
  private Integer maxBatchSize;

  @Default("0ms")
  @ValidationRule(value = "self.matches('^([0-9]+(ms|s|m|h))+$')", message = "batching.maxDelay must be a duration such as 0ms, 5ms or 1s")
  @JsonPropertyDescription("Longest a request waits for others to fill a batch, e.g. 5ms.")
  private String maxDelay;

  public Integer getMaxBatchSize() {
    return maxBatchSize;
  }

  public void setMaxBatchSize(Integer maxBatchSize) {
    this.maxBatchSize = maxBatchSize;
  }

  public String getMaxDelay() {
    return maxDelay;
  }

  public void setMaxDelay(String maxDelay) {
    this.maxDelay = maxDelay;
  }
}
