package dev.kiln.crds.apikey;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

/** A token bucket per key. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@ValidationRule(value = "!has(self.burst) || !has(self.requestsPerSecond) || self.burst >= self.requestsPerSecond", message = "rateLimit.burst must be at least rateLimit.requestsPerSecond")
public class RateLimit {

  @Default("10")
  @Min(1)
  @Max(100000)
  @JsonPropertyDescription("Sustained requests per second.")
  private Integer requestsPerSecond;

  @Default("20")
  @Min(1)
  @Max(100000)
  @JsonPropertyDescription("Requests allowed at once above the sustained rate.")
  private Integer burst;

  public Integer getRequestsPerSecond() {
    return requestsPerSecond;
  }

  public void setRequestsPerSecond(Integer requestsPerSecond) {
    this.requestsPerSecond = requestsPerSecond;
  }

  public Integer getBurst() {
    return burst;
  }

  public void setBurst(Integer burst) {
    this.burst = burst;
  }
}
