package dev.kiln.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.crds.model.Model;
import dev.kiln.crds.model.ModelPhase;
import dev.kiln.crds.model.ModelStatus;
import dev.kiln.crds.status.ConditionReason;
import dev.kiln.operator.residency.ShortfallReason;
import dev.kiln.operator.scaling.Decision;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ModelStatusesTest {

  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void allReplicasResidentAndReadyIsReady() {
    ModelStatus status = ModelStatuses.desired(model(), observed(List.of("w-a", "w-b"), 2, Optional.empty(), Optional.empty()), Optional.empty(), NOW);

    assertThat(status.getPhase()).isEqualTo(ModelPhase.READY);
    assertThat(status.getResidentReplicas()).isEqualTo(2);
    assertThat(status.getReadyReplicas()).isEqualTo(2);
    assertThat(status.getWorkers()).containsExactly("w-a", "w-b");
    assertThat(status.getVersion()).isEqualTo("v1");
    assertThat(status.getObservedGeneration()).isEqualTo(3);
    assertThat(condition(status, "Ready")).extracting(Condition::getStatus, Condition::getReason).containsExactly("True", "AsDesired");
    assertThat(condition(status, "Resident").getStatus()).isEqualTo("True");
    assertThat(condition(status, "Degraded").getStatus()).isEqualTo("False");
  }

  @Test
  void aFailedLoadWithNothingResidentIsFailedWithTheRuntimesReason() {
    var failure = LoadFailure.of("w-a", "sha256 mismatch for file:///m: expected 00, got ab");
    ModelStatus status = ModelStatuses.desired(model(), observed(List.of(), 0, Optional.empty(), Optional.of(failure)), Optional.empty(), NOW);

    assertThat(status.getPhase()).isEqualTo(ModelPhase.FAILED);
    Condition ready = condition(status, "Ready");
    assertThat(ready.getStatus()).isEqualTo("False");
    assertThat(ready.getReason()).isEqualTo(ConditionReason.CHECKSUM_MISMATCH.reason());
    assertThat(ready.getMessage()).isEqualTo("0/2 replicas resident, 0 ready: w-a: sha256 mismatch for file:///m: expected 00, got ab");
  }

  @Test
  void missingCredentialsFailTheModelWithTheSecretToCreateAndNoWorker() {
    var failure = LoadFailure.untried(new SourceCredentials.Missing(ConditionReason.SECRET_NOT_FOUND,
        "Secret hf-token named by spec.source.credentialsSecret does not exist in namespace team-a"));
    ModelStatus status = ModelStatuses.desired(model(), observed(List.of(), 0, Optional.empty(), Optional.of(failure)), Optional.empty(), NOW);

    assertThat(status.getPhase()).isEqualTo(ModelPhase.FAILED);
    assertThat(condition(status, "Ready")).extracting(Condition::getStatus, Condition::getReason, Condition::getMessage)
        .containsExactly("False", "SecretNotFound", "0/2 replicas resident, 0 ready: "
            + "Secret hf-token named by spec.source.credentialsSecret does not exist in namespace team-a");
  }

  @Test
  void someReplicasResidentIsDegraded() {
    var failure = LoadFailure.of("w-b", "ONNX Runtime cannot load it");
    ModelStatus status = ModelStatuses.desired(model(), observed(List.of("w-a"), 1, Optional.empty(), Optional.of(failure)), Optional.empty(), NOW);

    assertThat(status.getPhase()).isEqualTo(ModelPhase.DEGRADED);
    assertThat(condition(status, "Degraded")).extracting(Condition::getStatus, Condition::getReason)
        .containsExactly("True", "LoadFailed");
  }

  @Test
  void aPlannerShortfallGivesItsReason() {
    ModelStatus tooBig = ModelStatuses.desired(model(),
        observed(List.of(), 0, Optional.of(ShortfallReason.INSUFFICIENT_GPU_MEMORY), Optional.empty()), Optional.empty(), NOW);
    ModelStatus full = ModelStatuses.desired(model(),
        observed(List.of(), 0, Optional.of(ShortfallReason.NO_CAPACITY), Optional.empty()), Optional.empty(), NOW);

    assertThat(tooBig.getPhase()).isEqualTo(ModelPhase.PENDING);
    assertThat(condition(tooBig, "Resident").getReason()).isEqualTo("InsufficientGpuMemory");
    assertThat(condition(full, "Resident").getReason()).isEqualTo("NoCapacity");
  }

  @Test
  void placedButNotYetResidentIsLoading() {
    ModelStatus status = ModelStatuses.desired(model(), observed(List.of(), 0, Optional.empty(), Optional.empty()), Optional.empty(), NOW);

    assertThat(status.getPhase()).isEqualTo(ModelPhase.LOADING);
    assertThat(condition(status, "Ready").getReason()).isEqualTo("Loading");
  }

  @Test
  void theMeasuredMemoryIsReportedInABinaryUnit() {
    ModelStatus status = ModelStatuses.desired(model(), observed(List.of("w-a"), 1, Optional.empty(), Optional.empty()),
        Optional.empty(), NOW);

    assertThat(status.getMeasuredGpuMemory()).hasToString("3Gi");
  }

  @Test
  void aRunningLoadNamesItsWorkersAndSinceWhen() {
    var observed = new ObservedResidency(true, "v1", 2, List.of(), 0, 0,
        Map.of("w-b", NOW.plusMillis(2500), "w-a", NOW.plusMillis(1500)), Optional.empty(), Optional.empty(), null,
        "2026-01-01T00:00:00Z", Optional.empty());

    ModelStatus status = ModelStatuses.desired(model(), observed, Optional.empty(), NOW.plusSeconds(3));

    assertThat(status.getPhase()).isEqualTo(ModelPhase.LOADING);
    assertThat(condition(status, "Resident").getMessage())
        .isEqualTo("0/2 replicas resident, 0 ready: loading on w-a, w-b since 2026-01-01T00:00:01Z");
  }

  @Test
  void aMissingPoolIsPending() {
    var observed = new ObservedResidency(false, "v1", 0, List.of(), 0, 0, Map.of(), Optional.empty(), Optional.empty(), null, "2026-01-01T00:00:00Z", Optional.empty());
    ModelStatus status = ModelStatuses.desired(model(), observed, Optional.empty(), NOW);

    assertThat(status.getPhase()).isEqualTo(ModelPhase.PENDING);
    assertThat(condition(status, "Ready")).extracting(Condition::getStatus, Condition::getReason)
        .containsExactly("False", "PoolNotFound");
  }

  @Test
  void conditionsKeepTheirTransitionTimeAndEqualStatusesAreTheSame() {
    Model model = model();
    ObservedResidency observed = observed(List.of("w-a", "w-b"), 2, Optional.empty(), Optional.empty());
    model.setStatus(ModelStatuses.desired(model, observed, Optional.empty(), NOW));

    ModelStatus later = ModelStatuses.desired(model, observed, Optional.empty(), NOW.plusSeconds(60));

    assertThat(condition(later, "Ready").getLastTransitionTime()).isEqualTo("2026-01-01T00:00:00Z");
    assertThat(ModelStatuses.same(later, model.getStatus())).isTrue();
    assertThat(ModelStatuses.same(later, null)).isFalse();
    assertThat(ModelStatuses.same(ModelStatuses.desired(model,
        observed(List.of("w-a"), 1, Optional.empty(), Optional.empty()), Optional.empty(), NOW), model.getStatus())).isFalse();
  }

  @Test
  void theAutoscalersDecisionAndLoadAreReported() {
    var decision = new Decision(3, "steady at 3: concurrency 5.00 over the last 60s",
        Optional.of(new Decision.Load(5.0, 12.345, 2)), Optional.empty());

    ModelStatus status = ModelStatuses.desired(model(), observed(List.of("w-a"), 1, Optional.empty(), Optional.empty()),
        Optional.of(decision), NOW);

    assertThat(status.getDesiredReplicas()).isEqualTo(3);
    assertThat(status.getScalingReason()).isEqualTo("steady at 3: concurrency 5.00 over the last 60s");
    assertThat(status.getRequestRate()).isEqualTo("12.35");
    assertThat(status.getQueueDepth()).isEqualTo(2);
  }

  private static ObservedResidency observed(List<String> resident, int ready, Optional<ShortfallReason> shortfall,
      Optional<LoadFailure> failure) {
    return new ObservedResidency(true, "v1", 2, resident, ready, ready, Map.of(), shortfall, failure, "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z",
        Optional.of(3L << 30));
  }

  private static Model model() {
    Model model = new Model();
    model.getMetadata().setName("m");
    model.getMetadata().setGeneration(3L);
    model.getSpec().setPool("p");
    return model;
  }

  private static Condition condition(ModelStatus status, String type) {
    return status.getConditions().stream().filter(c -> c.getType().equals(type)).findFirst().orElseThrow();
  }
}
