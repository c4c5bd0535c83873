package dev.kiln.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kiln.testing.junit.LocalKubernetes;
import dev.kiln.testing.junit.TestCluster;
import dev.kiln.local.node.ContainerImages;
import dev.kiln.local.node.FakeNode;
import dev.kiln.local.node.JavaMainImage;
import dev.kiln.local.node.NodeAgent;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runtime as a worker pod on a fake GPU node: bound to its pod IP, Ready by its probe, drained on delete. */
@LocalKubernetes(scheduler = true, controllerManager = true)
class RuntimePodIT {

  private static final String IMAGE = "ghcr.io/kiln-dev/kiln-runtime:test";

  @TempDir
  static Path cache;

  private static NodeAgent kubelet;

  @BeforeAll
  static void startKubelet(TestCluster cluster) {
    kubelet = cluster.closeAfterClass(NodeAgent.builder(cluster.admin())
        .node(FakeNode.gpu("runtime-gpu-" + cluster.namespace(), 1))
        .images(ContainerImages.none().map(IMAGE, JavaMainImage.of(RuntimeMain.class)))
        .start());
  }

  @Test
  void workerPodServesOnItsPodIpTurnsReadyAndDrainsWhenDeleted(TestCluster cluster) throws Exception {
    var pods = cluster.admin().pods().inNamespace(cluster.namespace());
    pods.resource(new PodBuilder()
        .withNewMetadata().withName("worker-0").endMetadata()
        .withNewSpec()
        .addNewContainer().withName("runtime").withImage(IMAGE)
        .addNewEnv().withName("KILN_CACHE_DIR").withValue(cache.toString()).endEnv()
        .addNewPort().withName("http").withContainerPort(8080).endPort()
        .withNewResources().withLimits(Map.of("nvidia.com/gpu", new Quantity("1"))).endResources()
        .withNewReadinessProbe().withNewHttpGet().withPath("/readyz").withNewPort("http").endHttpGet().endReadinessProbe()
        .endContainer()
        .endSpec()
        .build()).create();

    Pod ready = await("worker-0 Ready").atMost(Duration.ofSeconds(90)).until(() -> pods.withName("worker-0").get(),
        pod -> pod.getStatus().getConditions().stream()
            .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True")));
    String podIp = ready.getStatus().getPodIP();
    HttpResponse<String> health = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://" + podIp + ":8080/healthz")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(health.body()).isEqualTo("ok");

    pods.withName("worker-0").delete();

    await("worker-0 gone").atMost(Duration.ofSeconds(90)).until(() -> pods.withName("worker-0").get() == null);
    assertThat(kubelet.logs(cluster.namespace(), "worker-0", "runtime"))
        .contains("kiln runtime ready on " + podIp + ":8080")
        .contains("SIGTERM received: draining")
        .contains("stopped");
  }
}
