package dev.kiln.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.crds.model.Model;
import dev.kiln.crds.model.ModelStatus;
import dev.kiln.crds.model.Residency;
import dev.kiln.crds.model.ResidencyPolicy;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ModelIdlenessTest {

  private static final Instant CREATED = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void applyingAModelCountsAsItsFirstDemand() {
    Model model = model("m", ResidencyPolicy.ON_DEMAND, "90s");

    assertThat(ModelIdleness.lastRequest(model, Optional.empty())).isEqualTo(CREATED);
    assertThat(ModelIdleness.idle(model, CREATED, CREATED.plusSeconds(89))).isFalse();
    assertThat(ModelIdleness.idle(model, CREATED, CREATED.plusSeconds(90))).isTrue();
  }

  @Test
  void theLatestOfStatusAndSignalsWins() {
    Model model = model("m", ResidencyPolicy.ON_DEMAND, "90s");
    model.setStatus(new ModelStatus());
    model.getStatus().setLastRequestTime("2026-01-01T00:10:00Z");

    assertThat(ModelIdleness.lastRequest(model, Optional.of(CREATED.plusSeconds(60))))
        .as("a restarted operator's older signal does not move the time back")
        .isEqualTo(Instant.parse("2026-01-01T00:10:00Z"));
    assertThat(ModelIdleness.lastRequest(model, Optional.of(Instant.parse("2026-01-01T00:20:00Z"))))
        .isEqualTo(Instant.parse("2026-01-01T00:20:00Z"));
  }

  @Test
  void aHotModelIsNeverIdleAndTheDefaultTimeoutIsTenMinutes() {
    Model hot = model("hot", ResidencyPolicy.HOT, "1s");
    Model byDefault = model("default", ResidencyPolicy.ON_DEMAND, null);

    assertThat(ModelIdleness.idle(hot, CREATED, CREATED.plusSeconds(3600))).isFalse();
    assertThat(ModelIdleness.idle(byDefault, CREATED, CREATED.plusSeconds(599))).isFalse();
    assertThat(ModelIdleness.idleByStatus(List.of(hot, byDefault), CREATED.plusSeconds(600))).containsExactly("default");
  }

  private static Model model(String name, ResidencyPolicy policy, String idleTimeout) {
    Model model = new Model();
    model.getMetadata().setName(name);
    model.getMetadata().setCreationTimestamp(CREATED.toString());
    Residency residency = new Residency();
    residency.setPolicy(policy);
    residency.setIdleTimeout(idleTimeout);
    model.getSpec().setResidency(residency);
    return model;
  }
}
