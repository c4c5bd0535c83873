package dev.kiln.operator.pool;

import static org.awaitility.Awaitility.await;

import dev.kiln.crds.gpupool.GpuPool;
import dev.kiln.crds.gpupool.GpuPoolSpec;
import dev.kiln.crds.gpupool.WorkerBounds;
import dev.kiln.operator.OperatorFixture;
import dev.kiln.testing.junit.TestCluster;
import dev.kiln.local.node.FakeNode;
import dev.kiln.local.node.NodeAgent;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * A test class's cluster made ready for the operator: Kiln's CRDs, the chart's RBAC for the
 * {@code kiln-operator} ServiceAccount, and two fake GPU nodes (4 GPUs each) whose worker pods run
 * the real runtime; plus the pools and worker pods the tests look at.
 */
public final class PoolTestbed {

  public static final String IMAGE = OperatorFixture.IMAGE;
  public static final Duration TIMEOUT = Duration.ofSeconds(120);

  private final TestCluster cluster;
  private final KubernetesClient admin;
  private final NodeAgent kubelet;

  private PoolTestbed(TestCluster cluster, NodeAgent kubelet) {
    this.cluster = cluster;
    this.admin = cluster.admin();
    this.kubelet = kubelet;
  }

  public static PoolTestbed start(TestCluster cluster) throws IOException {
    String suffix = cluster.namespace();
    NodeAgent kubelet = OperatorFixture.prepare(cluster, FakeNode.gpu("pool-gpu-a-" + suffix, 4),
        FakeNode.gpu("pool-gpu-b-" + suffix, 4));
    return new PoolTestbed(cluster, kubelet);
  }

  public String namespace() {
    return cluster.namespace();
  }

  public GpuPool pool(String name, int gpusPerWorker, int min, int warmSpares, int max) {
    GpuPool pool = new GpuPool();
    pool.getMetadata().setName(name);
    pool.getMetadata().setNamespace(cluster.namespace());
    GpuPoolSpec spec = pool.getSpec();
    spec.setGpusPerWorker(gpusPerWorker);
    spec.setGpuMemoryPerWorker(new Quantity("16Gi"));
    WorkerBounds bounds = new WorkerBounds();
    bounds.setMin(min);
    bounds.setMax(max);
    spec.setWorkers(bounds);
    spec.setWarmSpares(warmSpares);
    return pool;
  }

  public GpuPool gpuPool(String name) {
    return admin.resources(GpuPool.class).inNamespace(cluster.namespace()).withName(name).get();
  }

  /** The pool's worker pods that are not terminating. */
  public List<Pod> workerPods(String pool) {
    return admin.pods().inNamespace(cluster.namespace()).withLabel(PoolLabels.POOL, pool).list().getItems().stream()
        .filter(WorkerPods::live)
        .toList();
  }

  public List<Pod> readyWorkers(String pool) {
    return workerPods(pool).stream().filter(WorkerPods::ready).toList();
  }

  public List<Pod> awaitReadyWorkers(String pool, int count) {
    return await(count + " workers of " + pool + " Ready").atMost(TIMEOUT)
        .until(() -> workerPods(pool), pods -> pods.size() == count && pods.stream().allMatch(WorkerPods::ready));
  }

  public static List<String> uids(List<Pod> pods) {
    return pods.stream().map(HasMetadata::getMetadata).map(m -> m.getUid()).toList();
  }

  /** Pods, their runtime's logs and the pools' status, for a failed test. */
  public void dump() {
    for (Pod pod : admin.pods().inNamespace(cluster.namespace()).list().getItems()) {
      System.out.printf("pod %s node=%s phase=%s conditions=%s%n", pod.getMetadata().getName(),
          pod.getSpec().getNodeName(), pod.getStatus().getPhase(), pod.getStatus().getConditions());
      if (pod.getSpec().getNodeName() != null) {
        System.out.println(kubelet.logs(cluster.namespace(), pod.getMetadata().getName(), WorkerPodTemplate.CONTAINER));
      }
    }
    admin.resources(GpuPool.class).inNamespace(cluster.namespace()).list().getItems()
        .forEach(pool -> System.out.println("pool " + pool.getMetadata().getName() + " status "
            + admin.getKubernetesSerialization().asJson(pool.getStatus())));
  }
}
