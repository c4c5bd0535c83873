package dev.kiln.crds.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Where a model is in its life. */
public enum ModelPhase {
  @JsonProperty("Pending")
  PENDING,
  @JsonProperty("Loading")
  LOADING,
  @JsonProperty("Ready")
  READY,
  @JsonProperty("Degraded")
  DEGRADED,
  @JsonProperty("Failed")
  FAILED
}
