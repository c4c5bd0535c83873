package dev.kiln.operator.leader;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LeadershipTest {

  private final AtomicInteger lost = new AtomicInteger();
  private final Leadership leadership = new Leadership(
      new LeaderElectionSettings("kiln-system", "kiln-operator-0", Duration.ofSeconds(20), Duration.ofSeconds(12),
          Duration.ofSeconds(3)),
      lost::incrementAndGet);

  @Test
  void configuresTheLeaseAndLeavesExitingToUs() {
    LeaderElectionConfiguration configuration = leadership.configuration();

    assertThat(configuration.getLeaseName()).isEqualTo("kiln-operator");
    assertThat(configuration.getLeaseNamespace()).hasValue("kiln-system");
    assertThat(configuration.getIdentity()).hasValue("kiln-operator-0");
    assertThat(configuration.getLeaseDuration()).isEqualTo(Duration.ofSeconds(20));
    assertThat(configuration.getRenewDeadline()).isEqualTo(Duration.ofSeconds(12));
    assertThat(configuration.getRetryPeriod()).isEqualTo(Duration.ofSeconds(3));
    assertThat(configuration.isExitOnStopLeading()).isFalse();
  }

  @Test
  void aLeaseLostWhileRunningIsReported() {
    LeaderCallbacks callbacks = leadership.configuration().getLeaderCallbacks().orElseThrow();
    callbacks.onStartLeading();

    callbacks.onStopLeading();

    assertThat(lost).hasValue(1);
    assertThat(leadership.leading()).isFalse();
  }

  @Test
  void aLeaseGivenUpOnStopIsNot() {
    LeaderCallbacks callbacks = leadership.configuration().getLeaderCallbacks().orElseThrow();
    callbacks.onStartLeading();

    leadership.stopping();
    callbacks.onStopLeading();

    assertThat(lost).hasValue(0);
  }

  @Test
  void theLeaderGaugeFollowsTheLease() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    leadership.bindTo(registry);
    LeaderCallbacks callbacks = leadership.configuration().getLeaderCallbacks().orElseThrow();

    assertThat(registry.get("kiln.operator.leader").gauge().value()).isZero();
    callbacks.onStartLeading();
    assertThat(registry.get("kiln.operator.leader").gauge().value()).isEqualTo(1.0);
  }
}
