package dev.kiln.local.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kiln.testing.junit.LocalKubernetes;
import dev.kiln.testing.junit.TestCluster;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@LocalKubernetes(scheduler = true, controllerManager = true)
class StatusOnlyNodeAgentIT {

  private static final int PODS = 16;

  private static NodeAgent kubelet;

  @BeforeAll
  static void startKubelet(TestCluster cluster) {
    kubelet = cluster.closeAfterClass(NodeAgent.builder(cluster.admin())
        .node(FakeNode.gpu("scale-a-" + cluster.namespace(), 8))
        .node(FakeNode.gpu("scale-b-" + cluster.namespace(), 8))
        .unmappedImages(UnmappedImages.RUN_STATUS_ONLY)
        .start());
  }

  @Test
  void unmappedImagesRunWithoutAProcessInStatusOnlyMode(TestCluster cluster) {
    var pods = cluster.admin().pods().inNamespace(cluster.namespace());
    IntStream.range(0, PODS).forEach(i -> pods.resource(workerPod("worker-" + i)).create());

    List<Pod> running = await("all pods Running and Ready").atMost(Duration.ofSeconds(120))
        .until(() -> pods.list().getItems(), items -> items.size() == PODS && items.stream().allMatch(pod ->
            "Running".equals(pod.getStatus().getPhase()) && pod.getStatus().getConditions().stream()
                .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"))));

    assertThat(running).extracting(pod -> pod.getStatus().getPodIP()).doesNotHaveDuplicates().allMatch(ip -> ip.startsWith("127."));
    // 16 one-GPU pods on two 8-GPU nodes: only an exact split fits, so the scheduler must find it.
    assertThat(running.stream().filter(pod -> pod.getSpec().getNodeName().startsWith("scale-a-")).count())
        .isEqualTo(8L);
    assertThat(running).allSatisfy(pod -> {
      assertThat(kubelet.process(cluster.namespace(), pod.getMetadata().getName(), "runtime")).isEmpty();
      assertThat(pod.getStatus().getContainerStatuses().getFirst().getContainerID()).contains("status-only");
    });
  }

  private static Pod workerPod(String name) {
    return new PodBuilder()
        .withNewMetadata().withName(name).endMetadata()
        .withNewSpec()
        .addNewContainer().withName("runtime").withImage("ghcr.io/kiln/runtime:scale-test")
        .withNewResources().withRequests(Map.of("cpu", new Quantity("100m")))
        .withLimits(Map.of(FakeNode.NVIDIA_GPU, new Quantity("1"))).endResources()
        .endContainer()
        .endSpec()
        .build();
  }
}
