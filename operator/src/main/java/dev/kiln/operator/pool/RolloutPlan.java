package dev.kiln.operator.pool;

import dev.kiln.crds.DurationText;
import dev.kiln.crds.gpupool.GpuPoolSpec;
import dev.kiln.crds.gpupool.RolloutStrategy;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One step of replacing a pool's workers made from an old template by workers made from the
 * current one, as a Deployment's rolling update would, but through the drain so that each old
 * worker's models are loaded on the others before it stops serving:
 * <ul>
 *   <li>up to {@code maxSurge} workers beyond the desired count are started (counting draining ones);
 *   <li>an old Ready worker is marked draining only while the Ready workers left are at least the
 *       desired count less {@code maxUnavailable}; its models move, then it goes ({@link DrainPlan});
 *   <li>old workers that are not Ready serve nothing and are deleted at once.
 * </ul>
 * A new worker not Ready within the progress deadline, or unschedulable, or an old worker whose
 * models are not loaded elsewhere within it, stops the rollout where it is: nothing more is started
 * or drained, and the old workers keep serving. Reverting the template
 * makes the old workers current again, and the new ones are the old ones to remove. While the pool
 * is paused nothing is rolled.
 *
 * @param surge workers to run beyond the desired count for now
 * @param toRetire old Ready workers to mark draining now
 * @param toRemove old workers that are not Ready, to delete now
 * @param updated live workers made from the current template
 * @param outdated live workers made from an old one
 * @param stuck why the rollout cannot go on, when it cannot
 */
record RolloutPlan(int surge, List<Pod> toRetire, List<Pod> toRemove, int updated, int outdated,
    Optional<String> stuck) {

  static final Duration DEFAULT_PROGRESS_DEADLINE = Duration.ofMinutes(10);

  /**
   * @param pods the pool's worker pods, as observed
   * @param hash the current template's hash
   * @param desired the workers the pool should have
   */
  static RolloutPlan of(List<Pod> pods, String hash, int desired, GpuPoolSpec spec, Instant now) {
    RolloutStrategy strategy = Objects.requireNonNullElseGet(spec.getRollout(), RolloutStrategy::new);
    int maxSurge = Objects.requireNonNullElse(strategy.getMaxSurge(), 1);
    int maxUnavailable = Objects.requireNonNullElse(strategy.getMaxUnavailable(), 0);
    Duration deadline = strategy.getProgressDeadline() == null
        ? DEFAULT_PROGRESS_DEADLINE
        : DurationText.parse(strategy.getProgressDeadline());

    List<Pod> live = pods.stream().filter(WorkerPods::live).toList();
    List<Pod> updated = live.stream().filter(pod -> current(pod, hash)).toList();
    List<Pod> outdated = live.stream().filter(pod -> !current(pod, hash)).toList();
    Optional<String> stuck = stuck(updated, now, deadline)
        .or(() -> waitingForModels(outdated, now, deadline));
    if (outdated.isEmpty() || Boolean.TRUE.equals(spec.getPaused())) {
      return new RolloutPlan(0, List.of(), List.of(), updated.size(), outdated.size(), stuck);
    }
    List<Pod> outdatedActive = outdated.stream().filter(pod -> !WorkerPods.draining(pod)).toList();
    List<Pod> toRemove = outdatedActive.stream().filter(pod -> !WorkerPods.ready(pod)).toList();
    List<Pod> outdatedReady = outdatedActive.stream().filter(WorkerPods::ready)
        .sorted(Comparator.comparing(RolloutPlan::created).thenComparing(pod -> pod.getMetadata().getName()))
        .toList();
    long draining = live.stream().filter(WorkerPods::draining).count();
    int active = (int) live.stream().filter(pod -> !WorkerPods.draining(pod)).count() - toRemove.size();
    int surge;
    List<Pod> toRetire;
    if (stuck.isPresent()) {
      // Keep what runs, start nothing more, drain nothing.
      surge = Math.max(0, active - desired);
      toRetire = List.of();
    } else {
      long readyActive = live.stream().filter(pod -> !WorkerPods.draining(pod) && WorkerPods.ready(pod)).count();
      int mayRetire = (int) Math.max(0, readyActive - (desired - maxUnavailable));
      toRetire = outdatedReady.subList(0, Math.min(mayRetire, outdatedReady.size()));
      // A worker drained in this step counts against the surge at once, like those already draining.
      surge = (int) Math.max(0, Math.min(maxSurge - draining - toRetire.size(), outdatedReady.size() - toRetire.size()));
    }
    return new RolloutPlan(surge, List.copyOf(toRetire), toRemove, updated.size(), outdated.size(), stuck);
  }

  /** Whether the rollout is done: every live worker is made from the current template. */
  boolean complete() {
    return outdated == 0;
  }

  static boolean current(Pod pod, String hash) {
    return hash.equals(WorkerPodTemplate.hashOf(pod));
  }

  /** Why the newest workers hold the rollout up: one is unschedulable, or not Ready past the deadline. */
  private static Optional<String> stuck(List<Pod> updated, Instant now, Duration deadline) {
    return updated.stream()
        .filter(pod -> !WorkerPods.ready(pod))
        .flatMap(pod -> WorkerPods.unschedulable(pod)
            .map(message -> "worker " + pod.getMetadata().getName() + " cannot be scheduled: " + message)
            .or(() -> overdue(pod, now, deadline)
                ? Optional.of("worker " + pod.getMetadata().getName() + " is not Ready after " + deadline.toSeconds()
                    + "s (rollout.progressDeadline)" + waitingReason(pod))
                : Optional.empty())
            .stream())
        .sorted()
        .findFirst();
  }

  /**
   * Why an old worker marked draining holds the rollout up: its models have not been loaded on the
   * others within the deadline, e.g. because they fail to load on the new template.
   */
  private static Optional<String> waitingForModels(List<Pod> outdated, Instant now, Duration deadline) {
    return outdated.stream()
        .filter(pod -> WorkerPods.draining(pod) && !DrainPlan.drainRequested(pod))
        .filter(pod -> !now.isBefore(Instant.parse(DrainPlan.annotation(pod, WorkerPods.DRAINING)).plus(deadline)))
        .map(pod -> "worker " + pod.getMetadata().getName() + " with the old template has waited over "
            + deadline.toSeconds() + "s (rollout.progressDeadline) for its models to be loaded on the new workers: "
            + "see the models' LoadFailed conditions and Events")
        .sorted()
        .findFirst();
  }

  private static boolean overdue(Pod pod, Instant now, Duration deadline) {
    String created = pod.getMetadata().getCreationTimestamp();
    return created != null && !now.isBefore(Instant.parse(created).plus(deadline));
  }

  /** What the kubelet says the worker's container waits for, e.g. ": ErrImagePull: ...". */
  private static String waitingReason(Pod pod) {
    if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
      return "";
    }
    return pod.getStatus().getContainerStatuses().stream()
        .filter(status -> status.getState() != null && status.getState().getWaiting() != null)
        .map(status -> ": " + status.getState().getWaiting().getReason()
            + (status.getState().getWaiting().getMessage() == null ? "" : " " + status.getState().getWaiting().getMessage()))
        .findFirst()
        .orElse("");
  }

  private static String created(Pod pod) {
    return pod.getMetadata().getCreationTimestamp() == null ? "" : pod.getMetadata().getCreationTimestamp();
  }
}
