package dev.kiln.operator.model;

import dev.kiln.crds.worker.ResidencyAnnotations;
import dev.kiln.crds.worker.WorkerPodMetadata;
import dev.kiln.operator.pool.WorkerPods;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The version of a model that requests go to, which the model's status names and the gateways
 * route by. When the spec's version changes, the old version serves on until the new one is warm,
 * serving or staged beside it, on the model's target replicas (or nothing serves the old one), and
 * then all requests switch at once: a caller never sees the new version and then the old one.
 *
 * @param version the version requests go to
 * @param workers the Ready workers that serve it, by pod name
 * @param updated the Ready workers that hold the spec's version, serving or staged
 */
record ServingVersion(String version, List<String> workers, int updated) {

  /**
   * @param name the model's name
   * @param current the spec's version
   * @param previous the version the model's status names, null for a new model
   * @param pods the pool's workers, as the informer last saw them
   * @param confirmed the workers this reconcile found holding the spec's version, serving or staged, by pod name,
   *     which the informer may not have seen yet
   * @param targetReplicas the replicas the plan aims for
   * @param paused whether the model's rollout is paused: the old version serves on while anything serves it
   */
  static ServingVersion of(String name, String current, String previous, Collection<Pod> pods, Set<String> confirmed,
      int targetReplicas, boolean paused) {
    List<String> updated = Stream.concat(holding(name, current, pods).stream(), pods.stream()
            .filter(pod -> confirmed.contains(pod.getMetadata().getName()) && servable(pod))
            .map(pod -> pod.getMetadata().getName()))
        .distinct()
        .sorted()
        .toList();
    if (previous == null || previous.equals(current)) {
      return new ServingVersion(current, updated, updated.size());
    }
    List<String> old = holding(name, previous, pods);
    if (old.isEmpty() || (!paused && updated.size() >= targetReplicas)) {
      return new ServingVersion(current, updated, updated.size());
    }
    return new ServingVersion(previous, old, updated.size());
  }

  /** The Ready workers a request for {@code version} could be routed to, in name order. */
  private static List<String> holding(String name, String version, Collection<Pod> pods) {
    return pods.stream()
        .filter(ServingVersion::servable)
        .filter(pod -> version.equals(version(pod, ResidencyAnnotations.RESIDENT, name))
            || version.equals(version(pod, ResidencyAnnotations.STAGED, name)))
        .map(pod -> pod.getMetadata().getName())
        .sorted()
        .distinct()
        .toList();
  }

  private static boolean servable(Pod pod) {
    return WorkerPods.live(pod) && WorkerPods.ready(pod) && !routingStopped(pod);
  }

  private static String version(Pod pod, String annotation, String name) {
    return ResidencyAnnotations.read(pod.getMetadata().getAnnotations(), annotation).get(name);
  }

  private static boolean routingStopped(Pod pod) {
    Map<String, String> annotations = pod.getMetadata().getAnnotations();
    return annotations != null && annotations.containsKey(WorkerPodMetadata.DRAIN_REQUESTED);
  }

  boolean switchedFrom(String previous) {
    return previous != null && !Objects.equals(previous, version);
  }
}
