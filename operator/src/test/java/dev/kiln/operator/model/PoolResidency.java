package dev.kiln.operator.model;

import dev.kiln.crds.model.Model;
import dev.kiln.crds.worker.ResidencyAnnotations;
import dev.kiln.operator.pool.PoolLabels;
import dev.kiln.operator.pool.WorkerPodTemplate;
import dev.kiln.operator.pool.WorkerPods;
import dev.kiln.local.node.NodeAgent;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * What the model ITs read back from the cluster about one pool: its workers, their residency
 * annotations, the namespace's Models and their Events.
 */
record PoolResidency(KubernetesClient admin, String namespace, String pool) {

  /** The pool's worker pods that are neither failed nor being deleted, Ready or not. */
  List<Pod> workers() {
    return admin.pods().inNamespace(namespace).withLabel(PoolLabels.POOL, pool).list().getItems().stream()
        .filter(WorkerPods::live)
        .toList();
  }

  /** Live, Ready workers whose {@code resident-models} holds {@code model}. */
  List<Pod> residentWorkers(String model) {
    return workers().stream()
        .filter(WorkerPods::ready)
        .filter(pod -> resident(pod).containsKey(model))
        .toList();
  }

  static Map<String, String> resident(Pod pod) {
    return ResidencyAnnotations.read(pod.getMetadata().getAnnotations(), ResidencyAnnotations.RESIDENT);
  }

  static Map<String, String> desired(Pod pod) {
    return ResidencyAnnotations.read(pod.getMetadata().getAnnotations(), ResidencyAnnotations.DESIRED);
  }

  Model model(String name) {
    return admin.resources(Model.class).inNamespace(namespace).withName(name).get();
  }

  /** The Events with {@code reason} on the Model {@code model}. */
  List<Event> events(String model, String reason) {
    return admin.v1().events().inNamespace(namespace).list().getItems().stream()
        .filter(e -> model.equals(e.getInvolvedObject().getName()) && "Model".equals(e.getInvolvedObject().getKind()))
        .filter(e -> reason.equals(e.getReason()))
        .toList();
  }

  static Optional<Condition> condition(Model model, String type) {
    if (model == null || model.getStatus() == null || model.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    return model.getStatus().getConditions().stream().filter(c -> c.getType().equals(type)).findFirst();
  }

  /**
   * Dumps the pool after a failed test: the residency and kubelet are read when the test fails,
   * so a test class may create them in its {@code @BeforeAll}.
   */
  static TestWatcher dumpOnFailure(Supplier<PoolResidency> residency, Supplier<NodeAgent> kubelet) {
    return new TestWatcher() {
      @Override
      public void testFailed(ExtensionContext context, Throwable cause) {
        residency.get().dump(kubelet.get());
      }
    };
  }

  /** The namespace's pods with their runtime's logs, and every Model's status, for a failed test. */
  void dump(NodeAgent kubelet) {
    for (Pod pod : admin.pods().inNamespace(namespace).list().getItems()) {
      System.out.printf("pod %s phase=%s conditions=%s containers=%s annotations=%s%n", pod.getMetadata().getName(),
          pod.getStatus().getPhase(), pod.getStatus().getConditions(), pod.getStatus().getContainerStatuses(),
          pod.getMetadata().getAnnotations());
      if (pod.getSpec().getNodeName() != null) {
        System.out.println(kubelet.logs(namespace, pod.getMetadata().getName(), WorkerPodTemplate.CONTAINER));
      }
    }
    admin.resources(Model.class).inNamespace(namespace).list().getItems().forEach(model ->
        System.out.println("model " + model.getMetadata().getName() + " status "
            + admin.getKubernetesSerialization().asJson(model.getStatus())));
  }
}
