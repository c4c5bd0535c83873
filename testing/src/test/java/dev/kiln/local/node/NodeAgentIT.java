package dev.kiln.local.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kiln.testing.junit.LocalKubernetes;
import dev.kiln.testing.junit.TestCluster;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.dsl.PodResource;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@LocalKubernetes(scheduler = true, controllerManager = true)
class NodeAgentIT {

  private static final String ECHO_IMAGE = "kiln.dev/test/echo:1";
  private static final Duration POD_TIMEOUT = Duration.ofSeconds(90);
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static NodeAgent kubelet;
  private static List<String> gpuNodes;

  @BeforeAll
  static void startKubelet(TestCluster cluster) {
    gpuNodes = List.of("gpu-2-" + cluster.namespace(), "gpu-4-" + cluster.namespace());
    kubelet = cluster.closeAfterClass(NodeAgent.builder(cluster.admin())
        .node(FakeNode.gpu(gpuNodes.get(0), 2))
        .node(FakeNode.gpu(gpuNodes.get(1), 4))
        .node(FakeNode.cpuOnly("cpu-" + cluster.namespace()))
        .images(ContainerImages.none().map(ECHO_IMAGE, JavaMainImage.of(EchoServer.class)))
        .start());
  }

  @Test
  void gpuPodIsBoundToAGpuNodeAnswersOnItsPodIpAndTurnsReady(TestCluster cluster) throws Exception {
    Pod pod = create(cluster, echoPod("gpu-echo", 1, List.of()));

    Pod ready = awaitReady(cluster, pod);

    assertThat(ready.getSpec().getNodeName()).isIn(gpuNodes);
    String podIp = ready.getStatus().getPodIP();
    assertThat(podIp).startsWith("127.");
    assertThat(ready.getStatus().getHostIP()).startsWith("127.0.0.");
    assertThat(ready.getStatus().getPhase()).isEqualTo("Running");
    assertThat(get(podIp, "/")).isEqualTo("pod=gpu-echo ip=" + podIp);
    assertThat(get(podIp, "/env/GREETING")).isEqualTo("hello from gpu-echo in " + cluster.namespace());
  }

  @Test
  void killedProcessIsRestartedAndCounted(TestCluster cluster) throws Exception {
    Pod pod = awaitReady(cluster, create(cluster, echoPod("crashing-echo", 1, List.of())));
    ProcessHandle first = kubelet.process(cluster.namespace(), "crashing-echo", "echo").orElseThrow();

    first.destroyForcibly();

    Pod restarted = await("restartCount 1 and Ready again").atMost(POD_TIMEOUT).until(
        () -> pods(cluster).withName("crashing-echo").get(),
        current -> echoStatus(current).getRestartCount() == 1 && isReady(current));
    ContainerStatus status = echoStatus(restarted);
    assertThat(status.getLastState().getTerminated().getExitCode()).isEqualTo(137);
    assertThat(status.getLastState().getTerminated().getReason()).isEqualTo("Error");
    assertThat(kubelet.process(cluster.namespace(), "crashing-echo", "echo").orElseThrow().pid())
        .isNotEqualTo(first.pid());
    assertThat(restarted.getStatus().getPodIP()).isEqualTo(pod.getStatus().getPodIP());
    assertThat(get(restarted.getStatus().getPodIP(), "/healthz")).isEqualTo("ok");
  }

  @Test
  void containerFailingItsLivenessProbeIsStoppedAndRestarted(TestCluster cluster) {
    // Nothing listens on 8081: once the startup probe has passed, the liveness probe fails.
    Pod unhealthy = new PodBuilder(echoPod("unhealthy-echo", 0, List.of()))
        .editSpec().editFirstContainer()
        .withNewStartupProbe().withNewHttpGet().withPath("/healthz").withNewPort("http").endHttpGet().endStartupProbe()
        .withNewLivenessProbe().withNewHttpGet().withPath("/healthz").withNewPort(8081).endHttpGet()
        .withFailureThreshold(2).endLivenessProbe()
        .endContainer().endSpec().build();
    create(cluster, unhealthy);

    await("restarted for its failing liveness probe").atMost(POD_TIMEOUT).until(
        () -> pods(cluster).withName("unhealthy-echo").get(),
        current -> current.getStatus().getContainerStatuses() != null
            && !current.getStatus().getContainerStatuses().isEmpty() && echoStatus(current).getRestartCount() >= 1);
    assertThat(kubelet.logs(cluster.namespace(), "unhealthy-echo", "echo"))
        .as("stopped by the kubelet, not crashed").contains("received SIGTERM, stopping");
    pods(cluster).withName("unhealthy-echo").delete();
  }

  @Test
  void deletingThePodSendsSigtermAndStopsTheProcess(TestCluster cluster) {
    awaitReady(cluster, create(cluster, echoPod("deleted-echo", 0, List.of())));
    ProcessHandle process = kubelet.process(cluster.namespace(), "deleted-echo", "echo").orElseThrow();

    pods(cluster).withName("deleted-echo").delete();

    await("pod removed and process gone").atMost(POD_TIMEOUT)
        .until(() -> !process.isAlive() && pods(cluster).withName("deleted-echo").get() == null);
    assertThat(kubelet.logs(cluster.namespace(), "deleted-echo", "echo"))
        .contains("received SIGTERM, stopping")
        .contains("stopped cleanly");
  }

  @Test
  void processThatIgnoresSigtermIsKilledWhenTheGracePeriodEnds(TestCluster cluster) {
    Pod stubborn = new PodBuilder(echoPod("stubborn-echo", 0, List.of("--ignore-sigterm")))
        .editSpec().withTerminationGracePeriodSeconds(1L).endSpec().build();
    awaitReady(cluster, create(cluster, stubborn));
    ProcessHandle process = kubelet.process(cluster.namespace(), "stubborn-echo", "echo").orElseThrow();

    pods(cluster).withName("stubborn-echo").delete();

    await("pod removed and process killed").atMost(POD_TIMEOUT)
        .until(() -> !process.isAlive() && pods(cluster).withName("stubborn-echo").get() == null);
    assertThat(kubelet.logs(cluster.namespace(), "stubborn-echo", "echo"))
        .contains("received SIGTERM, ignoring it")
        .doesNotContain("stopped cleanly");
  }

  @Test
  void podAskingForMoreGpusThanAnyNodeHasStaysPendingWithTheSchedulersReason(TestCluster cluster) {
    create(cluster, echoPod("greedy-echo", 8, List.of()));

    PodCondition scheduled = await("scheduler gives up on greedy-echo").atMost(POD_TIMEOUT).until(
        () -> condition(pods(cluster).withName("greedy-echo").get(), "PodScheduled"),
        condition -> condition.isPresent() && condition.get().getStatus().equals("False")).orElseThrow();

    assertThat(scheduled.getReason()).isEqualTo("Unschedulable");
    assertThat(scheduled.getMessage()).contains("0/3 nodes are available").contains("Insufficient nvidia.com/gpu");
    Pod pending = pods(cluster).withName("greedy-echo").get();
    assertThat(pending.getStatus().getPhase()).isEqualTo("Pending");
    assertThat(pending.getSpec().getNodeName()).isNull();
  }

  @Test
  void containerWithAnUnmappedImageWaitsWithErrImagePull(TestCluster cluster) {
    Pod unmapped = new PodBuilder(echoPod("unmapped", 0, List.of()))
        .editSpec().editFirstContainer().withImage("registry.example/unknown:1").endContainer().endSpec().build();
    create(cluster, unmapped);

    Pod waiting = await("unmapped image reported").atMost(POD_TIMEOUT).until(
        () -> pods(cluster).withName("unmapped").get(),
        pod -> pod.getStatus().getContainerStatuses() != null && !pod.getStatus().getContainerStatuses().isEmpty());

    var state = echoStatus(waiting).getState().getWaiting();
    assertThat(state.getReason()).isEqualTo("ErrImagePull");
    assertThat(state.getMessage()).contains("registry.example/unknown:1").contains("ContainerImages.map");
    assertThat(waiting.getStatus().getPhase()).isEqualTo("Pending");
    assertThat(kubelet.process(cluster.namespace(), "unmapped", "echo")).isEmpty();
  }

  private static Pod echoPod(String name, int gpus, List<String> extraArgs) {
    var builder = new PodBuilder()
        .withNewMetadata().withName(name).endMetadata()
        .withNewSpec()
        .withRestartPolicy("Always")
        .addNewContainer()
        .withName("echo")
        .withImage(ECHO_IMAGE)
        .addToArgs("--port", "$(PORT)")
        .addAllToArgs(extraArgs)
        .addNewEnv().withName("PORT").withValue("8080").endEnv()
        .addNewEnv().withName("POD_NAME").withNewValueFrom().withNewFieldRef().withFieldPath("metadata.name")
        .endFieldRef().endValueFrom().endEnv()
        .addNewEnv().withName("POD_NAMESPACE").withNewValueFrom().withNewFieldRef()
        .withFieldPath("metadata.namespace").endFieldRef().endValueFrom().endEnv()
        .addNewEnv().withName("GREETING").withValue("hello from $(POD_NAME) in $(POD_NAMESPACE)").endEnv()
        .addNewPort().withName("http").withContainerPort(8080).endPort()
        .withNewReadinessProbe().withNewHttpGet().withPath("/healthz").withNewPort("http").endHttpGet()
        .withPeriodSeconds(1).endReadinessProbe()
        .endContainer()
        .endSpec();
    if (gpus > 0) {
      builder.editSpec().editFirstContainer().withNewResources()
          .withLimits(Map.of("nvidia.com/gpu", new Quantity(Integer.toString(gpus))))
          .endResources().endContainer().endSpec();
    }
    return builder.build();
  }

  private static Pod create(TestCluster cluster, Pod pod) {
    return pods(cluster).resource(pod).create();
  }

  private static io.fabric8.kubernetes.client.dsl.NonNamespaceOperation<Pod, io.fabric8.kubernetes.api.model.PodList,
      PodResource> pods(TestCluster cluster) {
    return cluster.admin().pods().inNamespace(cluster.namespace());
  }

  private static Pod awaitReady(TestCluster cluster, Pod pod) {
    return await(pod.getMetadata().getName() + " Ready").atMost(POD_TIMEOUT)
        .until(() -> pods(cluster).withName(pod.getMetadata().getName()).get(), NodeAgentIT::isReady);
  }

  private static boolean isReady(Pod pod) {
    return condition(pod, "Ready").map(c -> c.getStatus().equals("True")).orElse(false);
  }

  private static Optional<PodCondition> condition(Pod pod, String type) {
    if (pod == null || pod.getStatus() == null || pod.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    return pod.getStatus().getConditions().stream().filter(c -> c.getType().equals(type)).findFirst();
  }

  private static ContainerStatus echoStatus(Pod pod) {
    return pod.getStatus().getContainerStatuses().stream()
        .filter(status -> status.getName().equals("echo")).findFirst().orElseThrow();
  }

  private static String get(String podIp, String path) throws IOException, InterruptedException {
    var request = HttpRequest.newBuilder(URI.create("http://" + podIp + ":8080" + path))
        .timeout(Duration.ofSeconds(5)).build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body();
  }
}
