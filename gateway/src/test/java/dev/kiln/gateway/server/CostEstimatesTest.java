package dev.kiln.gateway.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.gateway.routing.ModelKey;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class CostEstimatesTest {

  private static final ModelKey MODEL = new ModelKey("team", "echo");
  private static final BigDecimal PRICE = new BigDecimal("2");

  private final CostEstimates estimates = new CostEstimates();

  @Test
  void anUnseenModelIsExpectedToTakeASecond() {
    assertThat(estimates.estimate(MODEL, PRICE)).isEqualByComparingTo("2");
  }

  @Test
  void aSeenModelIsExpectedToTakeHalfAgainAsLongAsItsLongestRecentRequest() {
    estimates.observe(MODEL, 0.02);
    estimates.observe(MODEL, 0.05);
    estimates.observe(MODEL, 0.03);

    assertThat(estimates.estimate(MODEL, PRICE)).isEqualByComparingTo("0.15");
    assertThat(estimates.estimate(new ModelKey("team", "other"), PRICE)).as("each model its own").isEqualByComparingTo("2");
  }

  @Test
  void aSlowRequestIsForgottenOnceTheWindowHasMovedPastIt() {
    estimates.observe(MODEL, 0.5);
    for (int i = 0; i < CostEstimates.WINDOW - 1; i++) {
      estimates.observe(MODEL, 0.01);
    }
    assertThat(estimates.estimate(MODEL, PRICE)).isEqualByComparingTo("1.5");

    estimates.observe(MODEL, 0.01);

    assertThat(estimates.estimate(MODEL, PRICE)).isEqualByComparingTo("0.03");
  }
}
