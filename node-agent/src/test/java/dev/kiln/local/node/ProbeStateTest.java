package dev.kiln.local.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import org.junit.jupiter.api.Test;

class ProbeStateTest {

  @Test
  void readinessPassesAfterSuccessThresholdAndFailsAfterFailureThreshold() {
    Container container = new ContainerBuilder().withName("c")
        .withNewReadinessProbe().withNewTcpSocket().withNewPort(8080).endTcpSocket()
        .withSuccessThreshold(2).withFailureThreshold(3).endReadinessProbe()
        .build();
    ProbeState readiness = ProbeState.readiness(container);

    assertThat(readiness.passing()).isFalse();
    assertThat(readiness.record(true).changed()).isFalse();
    assertThat(readiness.record(true).changed()).isTrue();
    assertThat(readiness.passing()).isTrue();
    readiness.record(false);
    readiness.record(false);
    assertThat(readiness.passing()).isTrue();
    assertThat(readiness.record(false).changed()).isTrue();
    assertThat(readiness.passing()).isFalse();
  }

  @Test
  void livenessStartsPassing() {
    Container container = new ContainerBuilder().withName("c")
        .withNewLivenessProbe().withNewHttpGet().withPath("/healthz").withNewPort(8080).endHttpGet()
        .withFailureThreshold(1).endLivenessProbe()
        .build();
    ProbeState liveness = ProbeState.liveness(container);

    assertThat(liveness.passing()).isTrue();
    assertThat(liveness.record(false).changed()).isTrue();
    assertThat(liveness.passing()).isFalse();
  }

  @Test
  void containerWithoutProbeIsAlwaysPassing() {
    ProbeState readiness = ProbeState.readiness(new ContainerBuilder().withName("c").build());
    assertThat(readiness.passing()).isTrue();
    assertThat(readiness.probe(new ContainerBuilder().withName("c").build(), "127.0.1.1").changed()).isFalse();
  }

  @Test
  void probeOnAnUnknownNamedPortIsReportedUnsupported() {
    Container container = new ContainerBuilder().withName("c")
        .withNewReadinessProbe().withNewHttpGet().withNewPort("metrics").endHttpGet().endReadinessProbe()
        .build();
    assertThat(ProbeState.readiness(container).unsupportedReason()).contains("no port named metrics");
  }

  @Test
  void startupGatesUntilItPassesAndGivesUpAfterFailureThreshold() {
    Container container = new ContainerBuilder().withName("c")
        .withNewStartupProbe().withNewHttpGet().withPath("/healthz").withNewPort(8080).endHttpGet()
        .withFailureThreshold(2).endStartupProbe()
        .build();
    ProbeState startup = ProbeState.startup(container);

    assertThat(startup.passing()).isFalse();
    startup.record(false);
    assertThat(startup.gaveUp()).isFalse();
    startup.record(false);
    assertThat(startup.gaveUp()).isTrue();

    ProbeState restarted = ProbeState.startup(container);
    restarted.record(false);
    assertThat(restarted.record(true).changed()).isTrue();
    assertThat(restarted.passing()).isTrue();
    assertThat(restarted.gaveUp()).isFalse();
  }

  @Test
  void noStartupProbeHasPassed() {
    assertThat(ProbeState.startup(new ContainerBuilder().withName("c").build()).passing()).isTrue();
  }
}
