package dev.kiln.crds.apikey;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Whether a key may be used. */
public enum KeyState {
  @JsonProperty("Active")
  ACTIVE,
  @JsonProperty("CapReached")
  CAP_REACHED,
  @JsonProperty("Disabled")
  DISABLED,
  @JsonProperty("Invalid")
  INVALID
}
