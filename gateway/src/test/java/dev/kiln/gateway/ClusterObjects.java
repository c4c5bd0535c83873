package dev.kiln.gateway;

import dev.kiln.crds.gateway.GatewayPodMetadata;
import dev.kiln.crds.model.Model;
import dev.kiln.crds.model.ModelStatus;
import dev.kiln.crds.worker.ResidencyAnnotations;
import dev.kiln.crds.worker.WorkerPodMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

/**
 * Models and worker pods written as the operator and a kubelet would write them, for tests that
 * run without either: the Model's {@code status.version}, the pod's resident annotation, its
 * Ready condition and pod IP.
 */
public final class ClusterObjects {

  private ClusterObjects() {}

  /** A {@code task} Model of pool {@code gpu} whose status names {@code version}. */
  public static Model model(KubernetesClient admin, String namespace, String name, String task, String version) {
    return model(admin, namespace, name, task, version, "0");
  }

  /** As {@link #model(KubernetesClient, String, String, String, String)}, at {@code pricePerSecond}. */
  public static Model model(KubernetesClient admin, String namespace, String name, String task, String version,
      String pricePerSecond) {
    Model model = admin.resources(Model.class).inNamespace(namespace).load(new ByteArrayInputStream("""
        apiVersion: kiln.dev/v1alpha1
        kind: Model
        metadata: {name: %s}
        spec:
          pool: gpu
          source: {uri: "https://models.example.com/%s.onnx"}
          task: %s
          pricePerSecond: "%s"
        """.formatted(name, name, task, pricePerSecond).getBytes(StandardCharsets.UTF_8))).item();
    Model created = admin.resources(Model.class).inNamespace(namespace).resource(model).create();
    var status = new ModelStatus();
    status.setVersion(version);
    created.setStatus(status);
    return admin.resources(Model.class).inNamespace(namespace).resource(created).updateStatus();
  }

  /** A worker pod of pool {@code gpu} as the operator creates it, not yet Ready, with {@code resident} annotated. */
  public static Pod workerPod(KubernetesClient admin, String namespace, String name, String resident) {
    Pod pod = new PodBuilder()
        .withNewMetadata()
          .withName(name)
          .addToLabels(WorkerPodMetadata.POOL, "gpu").addToLabels(WorkerPodMetadata.WORKER, name)
          .addToLabels(WorkerPodMetadata.MANAGED_BY, WorkerPodMetadata.KILN)
          .addToAnnotations(ResidencyAnnotations.RESIDENT, resident)
        .endMetadata()
        .withNewSpec().addNewContainer().withName("runtime").withImage("kiln/runtime:test").endContainer().endSpec()
        .build();
    return admin.pods().inNamespace(namespace).resource(pod).create();
  }

  /** Rewrites the pod's resident annotation, as the operator does once it loaded or evicted a model. */
  public static void setResident(KubernetesClient admin, String namespace, String name, String resident) {
    admin.pods().inNamespace(namespace).withName(name).edit(pod -> new PodBuilder(pod)
        .editMetadata().addToAnnotations(ResidencyAnnotations.RESIDENT, resident).endMetadata()
        .build());
  }

  /** Writes the status a kubelet would: Running with {@code podIp}, Ready as given. */
  public static void setReady(KubernetesClient admin, String namespace, String name, String podIp, boolean ready) {
    admin.pods().inNamespace(namespace).withName(name).editStatus(pod -> new PodBuilder(pod)
        .editOrNewStatus()
          .withPhase("Running")
          .withPodIP(podIp)
          .withConditions()
          .addNewCondition().withType("Ready").withStatus(ready ? "True" : "False").endCondition()
        .endStatus()
        .build());
  }

  /**
   * A gateway pod as the chart's Deployment makes it, queue listener on the named port, with the
   * status a kubelet would write: Running and Ready on {@code podIp}.
   */
  public static void gatewayPod(KubernetesClient admin, String namespace, String name, String podIp, int queuePort) {
    admin.pods().inNamespace(namespace).resource(new PodBuilder()
        .withNewMetadata().withName(name).addToLabels(GatewayPodMetadata.NAME_LABEL, GatewayPodMetadata.NAME).endMetadata()
        .withNewSpec().withSchedulerName("no-scheduler")
          .addNewContainer().withName("gateway").withImage("ghcr.io/kiln-dev/kiln-gateway:test")
            .addNewPort().withName(GatewayPodMetadata.QUEUE_PORT).withContainerPort(queuePort).endPort()
          .endContainer()
        .endSpec()
        .build()).create();
    setReady(admin, namespace, name, podIp, true);
  }
}
