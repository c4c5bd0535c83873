package dev.kiln.operator.residency;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/** A placement under construction: the models each worker holds and the memory left free. */
final class Assignment {

  private final Map<String, Long> capacityBytes = new HashMap<>();
  private final Map<String, Long> usedBytes = new HashMap<>();
  private final SortedMap<String, SortedSet<String>> modelsByWorker = new TreeMap<>();
  private final Map<String, Integer> replicasByModel = new HashMap<>();
  private final Map<String, Long> modelMemory;

  Assignment(Collection<WorkerState> workers, Map<String, Long> modelMemory) {
    this.modelMemory = modelMemory;
    for (WorkerState worker : workers) {
      capacityBytes.put(worker.name(), worker.gpuMemoryBytes());
      usedBytes.put(worker.name(), 0L);
      modelsByWorker.put(worker.name(), new TreeSet<>());
    }
  }

  long freeBytes(String worker) {
    return capacityBytes.get(worker) - usedBytes.get(worker);
  }

  boolean holds(String worker, String model) {
    return modelsByWorker.get(worker).contains(model);
  }

  /** Whether a replica of the model can go on the worker: not there yet, and enough free memory. */
  boolean fits(String worker, String model) {
    return !holds(worker, model) && freeBytes(worker) >= modelMemory.get(model);
  }

  void add(String worker, String model) {
    modelsByWorker.get(worker).add(model);
    usedBytes.merge(worker, modelMemory.get(model), Long::sum);
    replicasByModel.merge(model, 1, Integer::sum);
  }

  void remove(String worker, String model) {
    modelsByWorker.get(worker).remove(model);
    usedBytes.merge(worker, -modelMemory.get(model), Long::sum);
    replicasByModel.merge(model, -1, Integer::sum);
  }

  SortedSet<String> modelsOn(String worker) {
    return modelsByWorker.get(worker);
  }

  int replicas(String model) {
    return replicasByModel.getOrDefault(model, 0);
  }

  SortedMap<String, SortedSet<String>> placement() {
    return modelsByWorker;
  }
}
