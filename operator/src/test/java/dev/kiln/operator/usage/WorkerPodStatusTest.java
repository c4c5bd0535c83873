package dev.kiln.operator.usage;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkerPodStatusTest {

  private static final PoolRef POOL = new PoolRef("ml", "serving");
  private static final String T0 = "2026-01-01T10:00:00Z";
  private static final String T1 = "2026-01-01T10:05:00Z";
  private static final String T2 = "2026-01-01T10:09:00Z";

  @Test
  void aRunningWorkerHoldsItsGpuLimitSinceItsContainerStarted() {
    Pod pod = worker("nvidia.com/gpu", 2).editStatus().withPhase("Running")
        .withContainerStatuses(new ContainerStatusBuilder().withName("runtime")
            .withState(new ContainerStateBuilder().withNewRunning().withStartedAt(T0).endRunning().build()).build())
        .endStatus().build();

    assertThat(WorkerPodStatus.of(pod, ref -> null, Map.of())).contains(
        new WorkerPod("uid-1", POOL, WorkerPod.UNKNOWN_GPU_TYPE, 2, Instant.parse(T0), null));
  }

  @Test
  void theGpuTypeIsThatOfItsNode() {
    Pod pod = worker("nvidia.com/gpu", 1).editSpec().withNodeName("gpu-7").endSpec().build();
    Map<String, String> types = Map.of("gpu-7", "NVIDIA-H100-80GB-HBM3");

    assertThat(WorkerPodStatus.of(pod, ref -> null, types).orElseThrow().gpuType()).isEqualTo("NVIDIA-H100-80GB-HBM3");
    assertThat(WorkerPodStatus.of(pod, ref -> null, Map.of()).orElseThrow().gpuType()).isEqualTo(WorkerPod.UNKNOWN_GPU_TYPE);
  }

  @Test
  void gpusAreCountedInThePoolsOwnGpuResource() {
    Pod pod = worker("amd.com/gpu", 4).build();

    assertThat(WorkerPodStatus.of(pod, ref -> ref.equals(POOL) ? "amd.com/gpu" : null, Map.of()).orElseThrow().gpus()).isEqualTo(4);
    assertThat(WorkerPodStatus.of(pod, ref -> null, Map.of()).orElseThrow().gpus()).isZero();
  }

  @Test
  void aPendingWorkerHasNotStartedRunning() {
    Pod pod = worker("nvidia.com/gpu", 1).editStatus().withPhase("Pending").endStatus().build();

    WorkerPod observed = WorkerPodStatus.of(pod, ref -> null, Map.of()).orElseThrow();
    assertThat(observed.runningSince()).isNull();
    assertThat(observed.finishedAt()).isNull();
  }

  @Test
  void aRestartedContainerCountsFromItsFirstStartAndHasNotFinished() {
    Pod pod = worker("nvidia.com/gpu", 1).editStatus().withPhase("Running")
        .withContainerStatuses(new ContainerStatusBuilder().withName("runtime").withRestartCount(1)
            .withState(new ContainerStateBuilder().withNewRunning().withStartedAt(T2).endRunning().build())
            .withLastState(new ContainerStateBuilder().withNewTerminated().withStartedAt(T0).withFinishedAt(T1)
                .withExitCode(137).endTerminated().build())
            .build())
        .endStatus().build();

    WorkerPod observed = WorkerPodStatus.of(pod, ref -> null, Map.of()).orElseThrow();
    assertThat(observed.runningSince()).isEqualTo(Instant.parse(T0));
    assertThat(observed.finishedAt()).isNull();
  }

  @Test
  void aDeletedWorkerFinishedWhenItsContainerTerminated() {
    Pod pod = worker("nvidia.com/gpu", 1).editMetadata().withDeletionTimestamp(T2).endMetadata()
        .editStatus().withPhase("Running")
        .withContainerStatuses(new ContainerStatusBuilder().withName("runtime")
            .withState(new ContainerStateBuilder().withNewTerminated().withStartedAt(T0).withFinishedAt(T1)
                .withExitCode(0).endTerminated().build()).build())
        .endStatus().build();

    WorkerPod observed = WorkerPodStatus.of(pod, ref -> null, Map.of()).orElseThrow();
    assertThat(observed.runningSince()).isEqualTo(Instant.parse(T0));
    assertThat(observed.finishedAt()).isEqualTo(Instant.parse(T1));
  }

  @Test
  void aDeletedWorkerStillRunningHasNotFinished() {
    Pod pod = worker("nvidia.com/gpu", 1).editMetadata().withDeletionTimestamp(T1).endMetadata()
        .editStatus().withPhase("Running")
        .withContainerStatuses(new ContainerStatusBuilder().withName("runtime")
            .withState(new ContainerStateBuilder().withNewRunning().withStartedAt(T0).endRunning().build()).build())
        .endStatus().build();

    assertThat(WorkerPodStatus.of(pod, ref -> null, Map.of()).orElseThrow().finishedAt()).isNull();
  }

  @Test
  void anEvictedWorkerWithoutContainerStatusFinishedWhenItStoppedBeingReady() {
    Pod pod = worker("nvidia.com/gpu", 1).editStatus().withPhase("Failed").withReason("Evicted")
        .addNewCondition().withType("Ready").withStatus("False").withLastTransitionTime(T1).endCondition()
        .endStatus().build();

    assertThat(WorkerPodStatus.of(pod, ref -> null, Map.of()).orElseThrow().finishedAt()).isEqualTo(Instant.parse(T1));
  }

  @Test
  void aPodOfNoPoolIsNoWorker() {
    Pod pod = worker("nvidia.com/gpu", 1).editMetadata().withLabels(Map.of("app.kubernetes.io/managed-by", "kiln")).endMetadata()
        .build();

    assertThat(WorkerPodStatus.of(pod, ref -> null, Map.of())).isEmpty();
  }

  private static PodBuilder worker(String resource, int gpus) {
    return new PodBuilder()
        .withNewMetadata().withNamespace("ml").withName("serving-abc").withUid("uid-1")
        .withLabels(Map.of("kiln.dev/pool", "serving", "app.kubernetes.io/managed-by", "kiln")).endMetadata()
        .withNewSpec().addNewContainer().withName("runtime").withNewResources()
        .addToLimits(resource, new Quantity(Integer.toString(gpus))).addToLimits("cpu", new Quantity("2"))
        .endResources().endContainer().endSpec()
        .withNewStatus().endStatus();
  }
}
