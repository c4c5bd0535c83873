package dev.kiln.crds.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Whether a model is kept loaded or loaded on demand. */
public enum ResidencyPolicy {
  @JsonProperty("Hot")
  HOT,
  @JsonProperty("OnDemand")
  ON_DEMAND
}
