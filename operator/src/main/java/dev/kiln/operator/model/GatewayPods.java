package dev.kiln.operator.model;

import dev.kiln.crds.gateway.GatewayPodMetadata;
import dev.kiln.operator.pool.WorkerPods;
import dev.kiln.operator.runtime.GatewayStatsClient;
import dev.kiln.operator.scaling.GatewaySource.ServingGateway;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The Ready gateway pods, listed from the API server by the label the chart gives the gateway's
 * objects ({@code app.kubernetes.io/name=kiln-gateway}): in {@code KILN_GATEWAY_NAMESPACE} where
 * set, else in every namespace, as gateways run in the release's namespace, which the operator
 * need not watch. The operator may list pods cluster-wide already (its worker pods).
 */
public final class GatewayPods implements Supplier<List<ServingGateway>> {

  private final KubernetesClient client;
  private final Optional<String> namespace;

  public GatewayPods(KubernetesClient client, Optional<String> namespace) {
    this.client = client;
    this.namespace = namespace;
  }

  /** Gateways in {@code KILN_GATEWAY_NAMESPACE} from {@code env}, or in every namespace when it is unset or empty. */
  public static GatewayPods fromEnvironment(KubernetesClient client, Map<String, String> env) {
    return new GatewayPods(client, Optional.ofNullable(env.get("KILN_GATEWAY_NAMESPACE")).map(String::strip)
        .filter(value -> !value.isEmpty()));
  }

  @Override
  public List<ServingGateway> get() {
    List<Pod> pods = namespace
        .map(ns -> client.pods().inNamespace(ns).withLabel(GatewayPodMetadata.NAME_LABEL, GatewayPodMetadata.NAME).list().getItems())
        .orElseGet(() -> client.pods().inAnyNamespace().withLabel(GatewayPodMetadata.NAME_LABEL, GatewayPodMetadata.NAME).list().getItems());
    return pods.stream()
        .filter(pod -> pod.getMetadata().getDeletionTimestamp() == null && WorkerPods.ready(pod)
            && pod.getStatus().getPodIP() != null)
        .map(pod -> new ServingGateway(pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName(),
            GatewayStatsClient.gateway(pod.getStatus().getPodIP(),
                GatewayPodMetadata.namedPort(pod, GatewayPodMetadata.OPS_PORT).orElse(GatewayStatsClient.DEFAULT_PORT))))
        .toList();
  }
}
