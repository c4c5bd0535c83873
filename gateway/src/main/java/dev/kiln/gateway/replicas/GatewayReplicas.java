package dev.kiln.gateway.replicas;

import dev.kiln.crds.gateway.GatewayPodMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;
import java.util.Set;

/**
 * The gateway replicas behind one Service, from an informer on the gateway's pods (label
 * {@code app.kubernetes.io/name=kiln-gateway}) in this replica's namespace: who holds a queued
 * request, read off its id ({@link ReplicaId}). A replica that is stopping still holds what it
 * accepted, so pods that are not Ready or are being deleted still count until they have exited.
 */
public final class GatewayReplicas implements AutoCloseable {

  private static final Set<String> EXITED = Set.of("Succeeded", "Failed");

  /** Where a request lives. */
  public sealed interface Owner {}

  /** This replica: answer from its own store. */
  public record Self() implements Owner {}

  /**
   * Another running replica.
   *
   * @param queueListener the base URI of its queue listener, by pod IP
   */
  public record Peer(String podName, URI queueListener) implements Owner {}

  /** No running replica has the id's mark: the one that accepted it has exited, and its queue with it. */
  public record Gone(ReplicaId replica) implements Owner {}

  private final ReplicaId self;
  private final Optional<SharedIndexInformer<Pod>> pods;
  private final String scheme;
  private final int defaultQueuePort;

  private GatewayReplicas(ReplicaId self, Optional<SharedIndexInformer<Pod>> pods, String scheme, int defaultQueuePort) {
    this.self = self;
    this.pods = pods;
    this.scheme = scheme;
    this.defaultQueuePort = defaultQueuePort;
  }

  /**
   * Watches the gateway pods beside {@code podName} in {@code namespace}.
   *
   * @param scheme how peers' queue listeners are reached, {@code http} or {@code https}
   * @param defaultQueuePort the queue listener's port on a pod that names no {@code queue} port
   */
  public static GatewayReplicas inPod(KubernetesClient client, String namespace, String podName, String scheme,
      int defaultQueuePort) {
    SharedIndexInformer<Pod> informer = client.pods().inNamespace(namespace).withLabel(GatewayPodMetadata.NAME_LABEL, GatewayPodMetadata.NAME).runnableInformer(0);
    informer.start();
    return new GatewayReplicas(ReplicaId.ofPod(podName), Optional.of(informer), scheme, defaultQueuePort);
  }

  /** A gateway running alone, outside a pod: every request is its own. */
  public static GatewayReplicas standalone() {
    return new GatewayReplicas(ReplicaId.standalone(), Optional.empty(), "http", 0);
  }

  /** True once the gateway's pods have been listed (at once when alone). */
  public boolean hasSynced() {
    return pods.map(SharedIndexInformer::hasSynced).orElse(true);
  }

  public ReplicaId self() {
    return self;
  }

  /** Who holds {@code requestId}: this replica for ids it made, ids of no replica's shape, and when alone. */
  public Owner ownerOf(String requestId) {
    Optional<ReplicaId> mark = ReplicaId.of(requestId);
    if (mark.isEmpty() || mark.get().equals(self) || pods.isEmpty()) {
      return new Self();
    }
    return pods.get().getStore().list().stream()
        .filter(pod -> ReplicaId.ofPod(pod.getMetadata().getName()).equals(mark.get()))
        .filter(pod -> pod.getStatus() != null && pod.getStatus().getPodIP() != null
            && !EXITED.contains(pod.getStatus().getPhase()))
        .findFirst()
        .<Owner>map(pod -> new Peer(pod.getMetadata().getName(), queueListener(pod)))
        .orElseGet(() -> new Gone(mark.get()));
  }

  private URI queueListener(Pod pod) {
    int port = GatewayPodMetadata.namedPort(pod, GatewayPodMetadata.QUEUE_PORT).orElse(defaultQueuePort);
    try {
      return new URI(scheme, null, pod.getStatus().getPodIP(), port, null, null, null);
    } catch (URISyntaxException e) {
      throw new IllegalStateException("pod " + pod.getMetadata().getName() + " has an IP no URI can hold: "
          + pod.getStatus().getPodIP(), e);
    }
  }

  @Override
  public void close() {
    pods.ifPresent(SharedIndexInformer::close);
  }
}
