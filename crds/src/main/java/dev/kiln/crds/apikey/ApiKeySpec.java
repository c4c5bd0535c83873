package dev.kiln.crds.apikey;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.kiln.crds.common.SecretKeySelector;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import java.util.List;

/** An API key: where its secret lives and what it may do. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class ApiKeySpec {

  @Required
  @JsonPropertyDescription("Secret key holding the API key; it is compared in constant time and never logged.")
  private SecretKeySelector secretRef;

  @JsonPropertyDescription("Models the key may call, by name in this namespace; empty means all.")
  private List<String> models;

  @Default("{}")
  @JsonPropertyDescription("Request rate limit.")
  private RateLimit rateLimit;

  @JsonPropertyDescription("Spend cap; none when unset.")
  private SpendCap spendCap;

  @Default("Interactive")
  @JsonPropertyDescription("Interactive requests are queued before Batch ones.")
  private KeyPriority priority;

  @Default("false")
  @JsonPropertyDescription("Refuse every request with this key.")
  private Boolean disabled;

  public SecretKeySelector getSecretRef() {
    return secretRef;
  }

  public void setSecretRef(SecretKeySelector secretRef) {
    this.secretRef = secretRef;
  }

  public List<String> getModels() {
    return models;
  }

  public void setModels(List<String> models) {
    this.models = models;
  }

  public RateLimit getRateLimit() {
    return rateLimit;
  }

  public void setRateLimit(RateLimit rateLimit) {
    this.rateLimit = rateLimit;
  }

  public SpendCap getSpendCap() {
    return spendCap;
  }

  public void setSpendCap(SpendCap spendCap) {
    this.spendCap = spendCap;
  }

  public KeyPriority getPriority() {
    return priority;
  }

  public void setPriority(KeyPriority priority) {
    this.priority = priority;
  }

  public Boolean getDisabled() {
    return disabled;
  }

  public void setDisabled(Boolean disabled) {
    this.disabled = disabled;
  }
}
