package dev.kiln.crds.apikey;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.kiln.crds.status.KilnStatus;

/** Usage of a key. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class ApiKeyStatus extends KilnStatus {

  @JsonPropertyDescription("Active, CapReached, Disabled or Invalid.")
  private KeyState state;

  @JsonPropertyDescription("Spend in the current period, a decimal.")
  private String spend;

  @JsonPropertyDescription("Start of the current period (RFC 3339).")
  private String periodStart;

  @JsonPropertyDescription("Requests in the current period.")
  private Long requests;

  @JsonPropertyDescription("When the key was last used (RFC 3339).")
  private String lastUsed;

  public KeyState getState() {
    return state;
  }

  public void setState(KeyState state) {
    this.state = state;
  }

  public String getSpend() {
    return spend;
  }

  public void setSpend(String spend) {
    this.spend = spend;
  }

  public String getPeriodStart() {
    return periodStart;
  }

  public void setPeriodStart(String periodStart) {
    this.periodStart = periodStart;
  }

  public Long getRequests() {
    return requests;
  }

  public void setRequests(Long requests) {
    this.requests = requests;
  }

  public String getLastUsed() {
    return lastUsed;
  }

  public void setLastUsed(String lastUsed) {
    this.lastUsed = lastUsed;
  }
}
