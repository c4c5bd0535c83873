package dev.kiln.operator.model;

import dev.kiln.crds.model.Model;
import dev.kiln.crds.model.ModelSpec;
import dev.kiln.crds.model.Residency;
import dev.kiln.crds.model.ResidencyPolicy;
import dev.kiln.crds.worker.ResidencyAnnotations;
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
import java.util.Set;

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

  /** @param idle the pool's OnDemand models that have gone unused past their idle timeout, by name */
  static List<ScaledModel> models(List<Model> models, List<Pod> pods, Set<String> idle) {
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
      return new ScaledModel(name, bounds(model.getSpec(), idle.contains(name)), current, unreachable);
    }).toList();
  }

  /**
   * minReplicas..maxReplicas (at least minReplicas) and targetConcurrency, with the CRD's defaults.
   * An OnDemand model in use keeps at least one replica until it goes idle; an idle one needs none.
   */
  static ScaleBounds bounds(ModelSpec spec, boolean idle) {
    Residency residency = spec.getResidency() == null ? new Residency() : spec.getResidency();
    int declaredMin = Objects.requireNonNullElse(residency.getMinReplicas(), 0);
    int max = Math.max(declaredMin, Objects.requireNonNullElse(residency.getMaxReplicas(), 1));
    boolean hot = residency.getPolicy() == ResidencyPolicy.HOT;
    int min = hot ? declaredMin : idle ? 0 : Math.min(max, Math.max(1, declaredMin));
    return new ScaleBounds(min, max, Objects.requireNonNullElse(spec.getTargetConcurrency(), 1));
  }

  private static boolean reachable(Pod pod) {
    return WorkerPods.live(pod) && WorkerPods.ready(pod) && pod.getStatus().getPodIP() != null;
  }

  private static Map<String, String> resident(Pod pod) {
    return ResidencyAnnotations.read(pod.getMetadata().getAnnotations(), ResidencyAnnotations.RESIDENT);
  }
}
