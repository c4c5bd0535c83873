package dev.kiln.local.node;

import io.fabric8.kubernetes.api.model.Taint;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A node the node agent registers and plays: its name, the capacity it reports (cpu, memory,
 * pods, and GPUs as an extended resource), labels and taints. Fake: no machine stands behind it,
 * its pods run as local processes.
 */
public record FakeNode(String name, int gpus, String gpuResource, String cpu, String memory, int maxPods,
    Map<String, String> labels, List<Taint> taints) {

  public static final String NVIDIA_GPU = "nvidia.com/gpu";

  public FakeNode {
    labels = Map.copyOf(labels);
    taints = List.copyOf(taints);
  }

  /** A node with {@code gpus} {@code nvidia.com/gpu}, 16 CPUs and 64Gi of memory. */
  public static FakeNode gpu(String name, int gpus) {
    return new FakeNode(name, gpus, NVIDIA_GPU, "16", "64Gi", 110, Map.of(), List.of());
  }

  /** A node without GPUs, 8 CPUs and 32Gi of memory. */
  public static FakeNode cpuOnly(String name) {
    return new FakeNode(name, 0, NVIDIA_GPU, "8", "32Gi", 110, Map.of(), List.of());
  }

  public FakeNode withLabel(String key, String value) {
    var merged = new HashMap<>(labels);
    merged.put(key, value);
    return new FakeNode(name, gpus, gpuResource, cpu, memory, maxPods, merged, taints);
  }

  public FakeNode withTaint(Taint taint) {
    return new FakeNode(name, gpus, gpuResource, cpu, memory, maxPods, labels,
        Stream.concat(taints.stream(), Stream.of(taint)).toList());
  }

  public FakeNode withCapacity(String cpu, String memory, int maxPods) {
    return new FakeNode(name, gpus, gpuResource, cpu, memory, maxPods, labels, taints);
  }
}
