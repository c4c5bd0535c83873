package dev.kiln.crds.apikey;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/** Usage of a key. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class ApiKeyStatus {

  @JsonPropertyDescription("The metadata.generation this status describes.")
  private Long observedGeneration;

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

  @JsonPropertyDescription("Standard conditions (type, status, reason, message, lastTransitionTime, observedGeneration); see the README for the types and reasons.")
  private List<Condition> conditions;

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

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

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }
}
