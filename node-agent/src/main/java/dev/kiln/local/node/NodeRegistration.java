package dev.kiln.local.node;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddressBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.NodeStatusBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers the fake nodes with their capacity and a Ready status, and keeps each node's Lease in
 * {@code kube-node-lease} renewed, so the node-lifecycle controller sees live nodes.
 */
final class NodeRegistration implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(NodeRegistration.class);
  private static final String LEASE_NAMESPACE = "kube-node-lease";
  private static final int LEASE_DURATION_SECONDS = 40;
  private static final long RENEW_INTERVAL_SECONDS = 10;
  private static final String NOT_READY_TAINT = "node.kubernetes.io/not-ready";
  private static final Duration SCHEDULABLE_TIMEOUT = Duration.ofSeconds(60);

  private final KubernetesClient client;
  private final Map<String, FakeNode> nodes = new LinkedHashMap<>();
  private final Map<String, String> addresses = new HashMap<>();
  private final ScheduledExecutorService heartbeat =
      Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("kiln-node-heartbeat").factory());

  NodeRegistration(KubernetesClient client, List<FakeNode> fakeNodes) {
    this.client = client;
    fakeNodes.forEach(node -> {
      nodes.put(node.name(), node);
      addresses.put(node.name(), LoopbackAddresses.SHARED.nodeAddress());
    });
  }

  void register() {
    String kubeletVersion = client.getKubernetesVersion().getGitVersion();
    for (FakeNode node : nodes.values()) {
      Node registered = client.nodes().resource(node(node)).serverSideApply();
      client.nodes().withName(node.name()).subresource("status")
          .patch(PatchContext.of(PatchType.STRATEGIC_MERGE), new NodeBuilder()
              .withNewMetadata().withName(node.name()).endMetadata()
              .withStatus(status(node, addresses.get(node.name()), kubeletVersion))
              .build());
      renewLease(registered);
      LOG.info("registered fake node {} ({} x {}, address {})", node.name(), node.gpus(), node.gpuResource(),
          addresses.get(node.name()));
    }
    heartbeat.scheduleWithFixedDelay(this::renewLeases, RENEW_INTERVAL_SECONDS, RENEW_INTERVAL_SECONDS, TimeUnit.SECONDS);
    awaitSchedulable();
  }

  /**
   * New nodes carry the {@code node.kubernetes.io/not-ready} taint (TaintNodesByCondition
   * admission) until kube-controller-manager's node-lifecycle controller sees them Ready.
   */
  private void awaitSchedulable() {
    try {
      Awaitility.await("fake nodes schedulable").atMost(SCHEDULABLE_TIMEOUT).pollInterval(Duration.ofMillis(200))
          .until(() -> nodes.keySet().stream().allMatch(this::isSchedulable));
    } catch (ConditionTimeoutException e) {
      throw new IllegalStateException(("fake nodes %s still carry the %s taint after %s: kube-controller-manager "
          + "removes it once a node is Ready, so run the test with @LocalKubernetes(scheduler = true, "
          + "controllerManager = true)").formatted(nodes.keySet(), NOT_READY_TAINT, SCHEDULABLE_TIMEOUT), e);
    }
  }

  private boolean isSchedulable(String name) {
    Node node = client.nodes().withName(name).get();
    return node != null && (node.getSpec().getTaints() == null
        || node.getSpec().getTaints().stream().noneMatch(taint -> taint.getKey().equals(NOT_READY_TAINT)));
  }

  String address(String nodeName) {
    return addresses.get(nodeName);
  }

  /** Stops the heartbeat and removes the nodes and their leases. */
  @Override
  public void close() {
    heartbeat.shutdownNow();
    for (String name : nodes.keySet()) {
      try {
        client.nodes().withName(name).delete();
        client.leases().inNamespace(LEASE_NAMESPACE).withName(name).delete();
      } catch (KubernetesClientException e) {
        LOG.warn("could not remove fake node {}: {}", name, e.getMessage());
      }
    }
  }

  private void renewLeases() {
    for (String name : nodes.keySet()) {
      try {
        Node node = client.nodes().withName(name).get();
        if (node != null) {
          renewLease(node);
        }
      } catch (KubernetesClientException e) {
        LOG.warn("lease renewal for node {} failed: {}", name, e.getMessage());
      }
    }
  }

  private void renewLease(Node node) {
    Lease lease = new LeaseBuilder()
        .withNewMetadata()
        .withName(node.getMetadata().getName())
        .withNamespace(LEASE_NAMESPACE)
        .addNewOwnerReference()
        .withApiVersion("v1").withKind("Node").withName(node.getMetadata().getName())
        .withUid(node.getMetadata().getUid())
        .endOwnerReference()
        .endMetadata()
        .withNewSpec()
        .withHolderIdentity(node.getMetadata().getName())
        .withLeaseDurationSeconds(LEASE_DURATION_SECONDS)
        .withRenewTime(ZonedDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS))
        .endSpec()
        .build();
    client.leases().inNamespace(LEASE_NAMESPACE).resource(lease).serverSideApply();
  }

  private static Node node(FakeNode node) {
    Map<String, String> labels = new HashMap<>(node.labels());
    labels.put("kubernetes.io/hostname", node.name());
    labels.put("kubernetes.io/os", "linux");
    labels.put("kubernetes.io/arch", "amd64");
    labels.put("kiln.dev/fake-node", "true");
    return new NodeBuilder()
        .withNewMetadata().withName(node.name()).withLabels(labels).endMetadata()
        .withNewSpec().withTaints(node.taints()).endSpec()
        .build();
  }

  static NodeStatus status(FakeNode node, String address, String kubeletVersion) {
    Map<String, Quantity> capacity = new LinkedHashMap<>();
    capacity.put("cpu", new Quantity(node.cpu()));
    capacity.put("memory", new Quantity(node.memory()));
    capacity.put("pods", new Quantity(Integer.toString(node.maxPods())));
    capacity.put("ephemeral-storage", new Quantity("100Gi"));
    if (node.gpus() > 0) {
      capacity.put(node.gpuResource(), new Quantity(Integer.toString(node.gpus())));
    }
    String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    return new NodeStatusBuilder()
        .withCapacity(capacity)
        .withAllocatable(capacity)
        .withConditions(
            condition("Ready", "True", "KubeletReady", "node agent is posting ready status", now),
            condition("MemoryPressure", "False", "KubeletHasSufficientMemory", "no memory pressure", now),
            condition("DiskPressure", "False", "KubeletHasNoDiskPressure", "no disk pressure", now),
            condition("PIDPressure", "False", "KubeletHasSufficientPID", "enough PIDs", now))
        .withAddresses(
            new NodeAddressBuilder().withType("InternalIP").withAddress(address).build(),
            new NodeAddressBuilder().withType("Hostname").withAddress(node.name()).build())
        .withNewNodeInfo()
        .withKubeletVersion(kubeletVersion)
        .withContainerRuntimeVersion("kiln-node-agent://1")
        .withOperatingSystem("linux")
        .withArchitecture("amd64")
        .withOsImage("Kiln node agent (processes on loopback)")
        .withKernelVersion(System.getProperty("os.version"))
        .withMachineID(node.name())
        .withSystemUUID(node.name())
        .withBootID(node.name())
        .endNodeInfo()
        .withNewDaemonEndpoints().withNewKubeletEndpoint().withPort(10250).endKubeletEndpoint().endDaemonEndpoints()
        .build();
  }

  private static NodeCondition condition(String type, String status, String reason, String message, String now) {
    return new NodeConditionBuilder().withType(type).withStatus(status).withReason(reason).withMessage(message)
        .withLastHeartbeatTime(now).withLastTransitionTime(now).build();
  }
}
