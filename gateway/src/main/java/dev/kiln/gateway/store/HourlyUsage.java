package dev.kiln.gateway.store;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.math.BigDecimal;
import java.time.Instant;

/** One key's use of one model in one UTC hour, summed from its usage rows. */
@JsonPropertyOrder({"hour", "api_key", "model", "requests", "compute_seconds", "cost"})
public record HourlyUsage(
    @JsonProperty("hour") Instant hour,
    @JsonProperty("api_key") String apiKey,
    @JsonProperty("model") String model,
    @JsonProperty("requests") long requests,
    @JsonProperty("compute_seconds") BigDecimal computeSeconds,
    @JsonProperty("cost") BigDecimal cost) {}
