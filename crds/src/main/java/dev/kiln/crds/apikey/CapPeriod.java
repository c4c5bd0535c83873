package dev.kiln.crds.apikey;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The period a spend cap applies to (UTC). */
public enum CapPeriod {
  @JsonProperty("Day")
  DAY,
  @JsonProperty("Month")
  MONTH
}
