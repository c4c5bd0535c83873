package dev.kiln.operator.model;

import dev.kiln.crds.model.Model;
import dev.kiln.crds.model.ModelSpec;
import dev.kiln.crds.model.Residency;
import dev.kiln.operator.pool.WorkerPods;
import dev.kiln.operator.runtime.WorkerAdminClient;
import dev.kiln.operator.scaling.ScaleBounds;
import dev.kiln.operator.scaling.ScaledModel;
import dev.kiln.operator.scaling.SignalSource.ServingWorker;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** What the autoscaler needs of a pool: its Ready workers with what they hold, and its models' bounds. */
final class ScalingInputs {

  private ScalingInputs() {}

  /** The live workers that are Ready and have an address, each with its {@code resident-models}. */
  static List<ServingWorker> workers(List<Pod> pods) {
    return pods.stream()
        .filter(ScalingInputs::reachable)
        .map(pod -> new ServingWorker(pod.getMetadata().getName(), WorkerAdminClient.worker(pod.getStatus().getPodIP()),
            resident(pod).keySet()))
        .toList();
  }

  static List<ScaledModel> models(List<Model> models, List<Pod> pods) {
    return models.stream().map(model -> {
      String name = model.getMetadata().getName();
      var unreachable = new HashMap<String, String>();
      int current = 0;
      for (Pod pod : pods) {
        if (!WorkerPods.live(pod) || !resident(pod).containsKey(name)) {
          continue;
        }
        if (reachable(pod)) {
          current++;
        } else {
          unreachable.put(pod.getMetadata().getName(), "not Ready");
        }
      }
      return new ScaledModel(name, bounds(model.getSpec()), current, unreachable);
    }).toList();
  }

  /** minReplicas..maxReplicas (at least minReplicas) and targetConcurrency, with the CRD's defaults. */
  static ScaleBounds bounds(ModelSpec spec) {
    Residency residency = spec.getResidency() == null ? new Residency() : spec.getResidency();
    int min = Objects.requireNonNullElse(residency.getMinReplicas(), 0);
    int max = Math.max(min, Objects.requireNonNullElse(residency.getMaxReplicas(), 1));
    return new ScaleBounds(min, max, Objects.requireNonNullElse(spec.getTargetConcurrency(), 1));
  }

  private static boolean reachable(Pod pod) {
    return WorkerPods.live(pod) && WorkerPods.ready(pod) && pod.getStatus().getPodIP() != null;
  }

  private static Map<String, String> resident(Pod pod) {
    return ResidencyAnnotations.read(pod.getMetadata().getAnnotations(), ResidencyAnnotations.RESIDENT);
  }
}
