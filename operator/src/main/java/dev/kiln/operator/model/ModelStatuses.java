package dev.kiln.operator.model;

import dev.kiln.crds.model.Model;
import dev.kiln.crds.model.ModelPhase;
import dev.kiln.crds.model.ModelStatus;
import dev.kiln.crds.status.ConditionReason;
import dev.kiln.crds.status.ConditionType;
import dev.kiln.operator.residency.ShortfallReason;
import dev.kiln.operator.scaling.Decision;
import dev.kiln.operator.status.Conditions;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * A model's status from what a reconcile observed: phase, replica counts, workers, the
 * autoscaler's decision and load, and the Ready, Resident and Degraded conditions. A failed load outranks a planner shortfall, which outranks
 * "still loading", in the reason given.
 */
public final class ModelStatuses {

  private ModelStatuses() {}

  /** @param scaled the autoscaler's decision for the model, empty when its pool is missing */
  public static ModelStatus desired(Model model, ObservedResidency observed, Optional<Decision> scaled, Instant now) {
    long generation = Objects.requireNonNullElse(model.getMetadata().getGeneration(), 0L);
    var conditions = new Conditions(model.getStatus() == null ? null : model.getStatus().getConditions(), generation, now);
    int resident = observed.residentWorkers().size();
    int target = observed.targetReplicas();
    boolean enough = observed.poolFound() && resident >= target;
    Problem problem = problem(model, observed);
    String counts = resident + "/" + target + " replicas resident, " + observed.readyReplicas() + " ready";

    ModelStatus status = new ModelStatus();
    status.setObservedGeneration(generation);
    status.setVersion(observed.version());
    status.setResidentReplicas(resident);
    status.setReadyReplicas(observed.readyReplicas());
    status.setUpdatedReplicas(observed.updatedReplicas());
    status.setWorkers(observed.residentWorkers());
    status.setLastLoadTime(observed.lastLoadTime());
    status.setLastRequestTime(observed.lastRequestTime());
    observed.measuredGpuMemoryBytes().map(GpuMemory::quantity).ifPresent(status::setMeasuredGpuMemory);
    status.setPhase(phase(enough, resident, problem));
    scaled.ifPresent(decision -> {
      status.setDesiredReplicas(decision.replicas());
      status.setScalingReason(decision.reason());
      decision.load().ifPresent(load -> {
        status.setRequestRate(String.format(Locale.ROOT, "%.2f", load.requestRate()));
        status.setQueueDepth(load.queueDepth());
      });
    });
    boolean ready = enough && observed.readyReplicas() >= target && (observed.readyReplicas() > 0 || target == 0);
    status.setConditions(List.of(
        ready
            ? conditions.of(ConditionType.READY, true, ConditionReason.AS_DESIRED, counts)
            : conditions.of(ConditionType.READY, false, problem.reason(), problem.message(counts)),
        enough
            ? conditions.of(ConditionType.RESIDENT, true, ConditionReason.AS_DESIRED, counts)
            : conditions.of(ConditionType.RESIDENT, false, problem.reason(), problem.message(counts)),
        resident > 0 && !enough
            ? conditions.of(ConditionType.DEGRADED, true, problem.reason(), problem.message(counts))
            : conditions.of(ConditionType.DEGRADED, false, ConditionReason.AS_DESIRED, counts)));
    return status;
  }

  /** Whether two statuses say the same about the fields this controller writes. */
  public static boolean same(ModelStatus a, ModelStatus b) {
    return b != null
        && Objects.equals(a.getObservedGeneration(), b.getObservedGeneration())
        && Objects.equals(a.getPhase(), b.getPhase())
        && Objects.equals(a.getVersion(), b.getVersion())
        && Objects.equals(a.getResidentReplicas(), b.getResidentReplicas())
        && Objects.equals(a.getReadyReplicas(), b.getReadyReplicas())
        && Objects.equals(a.getUpdatedReplicas(), b.getUpdatedReplicas())
        && Objects.equals(a.getWorkers(), b.getWorkers())
        && Objects.equals(a.getLastLoadTime(), b.getLastLoadTime())
        && Objects.equals(a.getLastRequestTime(), b.getLastRequestTime())
        && Objects.equals(a.getMeasuredGpuMemory(), b.getMeasuredGpuMemory())
        && Objects.equals(a.getDesiredReplicas(), b.getDesiredReplicas())
        && Objects.equals(a.getScalingReason(), b.getScalingReason())
        && Objects.equals(a.getRequestRate(), b.getRequestRate())
        && Objects.equals(a.getQueueDepth(), b.getQueueDepth())
        && Objects.equals(a.getConditions(), b.getConditions());
  }

  private static ModelPhase phase(boolean enough, int resident, Problem problem) {
    if (enough) {
      return ModelPhase.READY;
    }
    if (resident > 0) {
      return ModelPhase.DEGRADED;
    }
    return switch (problem.reason()) {
      case LOADING -> ModelPhase.LOADING;
      case CHECKSUM_MISMATCH, SOURCE_UNREACHABLE, LOAD_FAILED, SECRET_NOT_FOUND, KEY_NOT_IN_SECRET -> ModelPhase.FAILED;
      default -> ModelPhase.PENDING;
    };
  }

  /** Why the model has fewer replicas than it should, with the message to show. */
  private record Problem(ConditionReason reason, String detail) {

    String message(String counts) {
      return detail == null ? counts : counts + ": " + detail;
    }
  }

  private static Problem problem(Model model, ObservedResidency observed) {
    if (!observed.poolFound()) {
      return new Problem(ConditionReason.POOL_NOT_FOUND, "GpuPool " + model.getSpec().getPool() + " does not exist");
    }
    if (observed.failure().isPresent()) {
      LoadFailure failure = observed.failure().get();
      return new Problem(failure.reason(),
          failure.worker() == null ? failure.message() : failure.worker() + ": " + failure.message());
    }
    if (observed.shortfall().isPresent()) {
      return observed.shortfall().get() == ShortfallReason.INSUFFICIENT_GPU_MEMORY
          ? new Problem(ConditionReason.INSUFFICIENT_GPU_MEMORY,
              "one replica needs more GPU memory than a worker of pool " + model.getSpec().getPool() + " has")
          : new Problem(ConditionReason.NO_CAPACITY,
              "the Ready workers of pool " + model.getSpec().getPool() + " have no room for more replicas");
    }
    if (observed.loading().isEmpty()) {
      return new Problem(ConditionReason.LOADING, null);
    }
    Instant since = observed.loading().values().stream().min(Instant::compareTo).orElseThrow();
    return new Problem(ConditionReason.LOADING, "loading on %s since %s".formatted(
        String.join(", ", new TreeSet<>(observed.loading().keySet())), since.truncatedTo(ChronoUnit.SECONDS)));
  }
}
