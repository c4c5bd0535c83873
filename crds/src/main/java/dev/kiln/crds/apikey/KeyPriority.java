package dev.kiln.crds.apikey;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Queue priority of a key's requests. */
public enum KeyPriority {
  @JsonProperty("Interactive")
  INTERACTIVE,
  @JsonProperty("Batch")
  BATCH
}
