package dev.kiln.crds.apikey;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** The most a key may spend in a period; requests are refused once it is reached. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class SpendCap {

  @Required
  @ValidationRule(value = "self.matches('^[0-9]+(\\\\.[0-9]+)?$')", message = "spendCap.amount must be a non-negative decimal such as \"250.00\"")
  @JsonPropertyDescription("Cap as a non-negative decimal in the pools' currency.")
  private String amount;

  @Default("Month")
  @JsonPropertyDescription("Day or Month (UTC); spend resets at the start of each.")
  private CapPeriod period;

  public String getAmount() {
    return amount;
  }

  public void setAmount(String amount) {
    this.amount = amount;
  }

  public CapPeriod getPeriod() {
    return period;
  }

  public void setPeriod(CapPeriod period) {
    this.period = period;
  }
}
