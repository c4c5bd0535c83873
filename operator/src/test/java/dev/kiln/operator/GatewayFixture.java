package dev.kiln.operator;

import dev.kiln.crds.apikey.ApiKey;
import dev.kiln.crds.apikey.RateLimit;
import dev.kiln.crds.common.SecretKeySelector;
import dev.kiln.crds.gateway.GatewayPodMetadata;
import dev.kiln.gateway.Gateway;
import dev.kiln.gateway.GatewaySettings;
import dev.kiln.gateway.webhook.WebhookTargets;
import dev.kiln.local.controlplane.ClusterManifests;
import dev.kiln.operator.runtime.GatewayStatsClient;
import dev.kiln.testing.junit.TestCluster;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A real gateway for the operator's integration tests, in this JVM on a loopback address, with the chart's RBAC and a
 * pod the operator finds it by, plus an ApiKey to call it with.
 */
public final class GatewayFixture {

  private static final String POD = "kiln-gateway-0";
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private GatewayFixture() {}

  /**
   * Starts a gateway for the test class's namespace on {@code ip}; it and its pod go with the class.
   *
   * @param work where it spills large results
   */
  public static Gateway start(TestCluster cluster, String ip, Path work) {
    KubernetesClient admin = cluster.admin();
    String namespace = cluster.namespace();
    ClusterManifests.applyChartTemplate(admin, "gateway-rbac.yaml", namespace);
    Gateway gateway = Gateway.start(new GatewaySettings(Set.of(namespace), ip, 8080, 0, GatewayStatsClient.DEFAULT_PORT,
            Optional.empty(), 1 << 20, Duration.ofMinutes(5), work.resolve("spill"), 1 << 20, 100, Duration.ofSeconds(30),
            Duration.ofSeconds(5), new GatewaySettings.Webhooks(Optional.empty(), Duration.ofSeconds(1),
            WebhookTargets.allowing(List.of())), Optional.empty(), Optional.empty()),
        cluster.clientAs("kiln-gateway"), Clock.systemUTC());
    cluster.closeAfterClass(gateway::close);
    pod(admin, namespace, ip);
    // Gone before the gateway closes: the operators of other test classes list gateway pods too, and an
    // unreadable Ready gateway would hold their scale-downs.
    cluster.closeAfterClass(() -> admin.pods().inNamespace(namespace).withName(POD).delete());
    return gateway;
  }

  /** An ApiKey for every model of the namespace, and its Secret; returns the key as callers send it. */
  public static String apiKey(KubernetesClient admin, String namespace) {
    return apiKey(admin, namespace, new RateLimit());
  }

  /** As {@link #apiKey(KubernetesClient, String)}, with a rate limit no load test reaches. */
  public static String unlimitedApiKey(KubernetesClient admin, String namespace) {
    RateLimit unlimited = new RateLimit();
    unlimited.setRequestsPerSecond(100_000);
    unlimited.setBurst(100_000);
    return apiKey(admin, namespace, unlimited);
  }

  /** Runs {@code model} synchronously with an empty input through {@code gateway}'s run listener on {@code ip}. */
  public static HttpResponse<String> run(Gateway gateway, String ip, String namespace, String model, String key)
      throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://" + ip + ":" + gateway.runPort() + "/" + namespace + "/"
            + model)).timeout(Duration.ofMinutes(1))
        .header("Authorization", "Key " + key).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** As {@link #apiKey(KubernetesClient, String)}, limited to {@code rateLimit} (the CRD's default when unset). */
  public static String apiKey(KubernetesClient admin, String namespace, RateLimit rateLimit) {
    admin.secrets().inNamespace(namespace).resource(new SecretBuilder().withNewMetadata().withName("caller-key")
        .endMetadata().withStringData(Map.of("key", "s3cret")).build()).create();
    ApiKey apiKey = new ApiKey();
    apiKey.getMetadata().setName("caller");
    apiKey.getMetadata().setNamespace(namespace);
    SecretKeySelector ref = new SecretKeySelector();
    ref.setName("caller-key");
    ref.setKey("key");
    apiKey.getSpec().setSecretRef(ref);
    apiKey.getSpec().setModels(List.of());
    apiKey.getSpec().setRateLimit(rateLimit);
    admin.resource(apiKey).create();
    return namespace + "/caller:s3cret";
  }

  /**
   * The gateway's pod as a Deployment would make it, for a scheduler that never runs (so neither
   * the scheduler nor the node agent touches it), with the status a kubelet would write: Running
   * and Ready on the gateway's address.
   */
  private static void pod(KubernetesClient admin, String namespace, String ip) {
    admin.pods().inNamespace(namespace).resource(new PodBuilder()
        .withNewMetadata().withName(POD).addToLabels(GatewayPodMetadata.NAME_LABEL, GatewayPodMetadata.NAME).endMetadata()
        .withNewSpec().withSchedulerName("no-scheduler")
          .addNewContainer().withName("gateway").withImage("ghcr.io/kiln-dev/kiln-gateway:test").endContainer()
        .endSpec()
        .build()).create();
    admin.pods().inNamespace(namespace).withName(POD).editStatus(pod -> new PodBuilder(pod)
        .editOrNewStatus()
          .withPhase("Running").withPodIP(ip)
          .withConditions().addNewCondition().withType("Ready").withStatus("True").endCondition()
        .endStatus()
        .build());
  }
}
