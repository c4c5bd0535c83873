package dev.kiln.local.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.kiln.testing.junit.LocalKubernetes;
import dev.kiln.testing.junit.TestCluster;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A status-only pod's stand-in answers on the pod's address by the time the pod is Ready, and stops with it. */
@LocalKubernetes(scheduler = true, controllerManager = true)
class StatusOnlyStandInIT {

  private static final int PORT = 8080;
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private static String node;

  @BeforeAll
  static void startKubelet(TestCluster cluster) {
    node = "stand-in-" + cluster.namespace();
    cluster.closeAfterClass(NodeAgent.builder(cluster.admin())
        .node(FakeNode.gpu(node, 1))
        .unmappedImages(UnmappedImages.RUN_STATUS_ONLY)
        .statusOnlyStandIn(StatusOnlyStandInIT::answerWithPodName)
        .start());
  }

  @Test
  void theStandInAnswersOnThePodAddressOnceReadyAndStopsWithThePod(TestCluster cluster) throws Exception {
    var pods = cluster.admin().pods().inNamespace(cluster.namespace());
    pods.resource(new PodBuilder()
        .withNewMetadata().withName("stood-in").endMetadata()
        .withNewSpec().withNodeName(node)
        .addNewContainer().withName("runtime").withImage("ghcr.io/kiln/runtime:stand-in-test").endContainer()
        .endSpec()
        .build()).create();

    Pod ready = await("the pod Ready").atMost(Duration.ofSeconds(60))
        .until(() -> pods.withName("stood-in").get(), StatusOnlyStandInIT::ready);

    String podIp = ready.getStatus().getPodIP();
    assertThat(get(podIp)).isEqualTo("standing in for runtime of stood-in");

    pods.withName("stood-in").delete();
    await("the pod gone").atMost(Duration.ofSeconds(60)).until(() -> pods.withName("stood-in").get() == null);
    assertThatThrownBy(() -> get(podIp)).isInstanceOf(IOException.class);
  }

  private static AutoCloseable answerWithPodName(Pod pod, Container container,
      String podIp) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(podIp), PORT), 0);
    byte[] body = ("standing in for " + container.getName() + " of " + pod.getMetadata().getName())
        .getBytes(StandardCharsets.UTF_8);
    server.createContext("/", exchange -> {
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    return () -> server.stop(0);
  }

  private static boolean ready(Pod pod) {
    return pod != null && pod.getStatus() != null && pod.getStatus().getConditions() != null
        && pod.getStatus().getConditions().stream()
            .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
  }

  private static String get(String podIp) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://" + podIp + ":" + PORT + "/")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }
}
