package dev.kiln.operator;

import dev.kiln.crds.KilnCrds;
import dev.kiln.crds.gpupool.GpuPool;
import dev.kiln.crds.gpupool.GpuPoolSpec;
import dev.kiln.crds.gpupool.WorkerBounds;
import dev.kiln.crds.model.Model;
import dev.kiln.crds.model.ModelSource;
import dev.kiln.crds.model.ModelTask;
import dev.kiln.crds.model.Residency;
import dev.kiln.crds.model.ResidencyPolicy;
import dev.kiln.runtime.RuntimeMain;
import dev.kiln.local.controlplane.ClusterManifests;
import dev.kiln.testing.junit.TestCluster;
import dev.kiln.local.node.ContainerImages;
import dev.kiln.local.node.FakeNode;
import dev.kiln.local.node.JavaMainImage;
import dev.kiln.local.node.NodeAgent;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.util.List;
import java.util.stream.Stream;

/** What the operator's integration tests set up on a test control plane before starting the operator. */
public final class OperatorFixture {

  /** The runtime image the tests' pools use; the node agent runs it as the real runtime process. */
  public static final String IMAGE = "ghcr.io/kiln-dev/kiln-runtime:test";
  /** Another tag of the same runtime, for rolling a pool to a new image. */
  public static final String NEXT_IMAGE = "ghcr.io/kiln-dev/kiln-runtime:test-next";

  private OperatorFixture() {}

  /**
   * Images for the node agent: {@link #IMAGE} and {@link #NEXT_IMAGE} run the runtime in a JVM with {@code jvmOptions}
   * added, its model cache in the container's working directory.
   */
  public static ContainerImages runtimeImages(List<String> jvmOptions) {
    JavaMainImage runtime = JavaMainImage.of(RuntimeMain.class).withMoreJvmOptions(jvmOptions);
    // The node agent mounts no volumes: each worker keeps its model cache in its own working directory.
    ContainerImages images = ContainerImages.none();
    for (String image : List.of(IMAGE, NEXT_IMAGE)) {
      images = images.map(image, launch -> Stream.concat(
          Stream.of("env", "KILN_CACHE_DIR=" + launch.workingDirectory().resolve("model-cache")),
          runtime.command(launch).stream()).toList());
    }
    return images;
  }

  /**
   * Readies a test class's cluster for the operator: Kiln's CRDs, the chart's RBAC for the
   * {@code kiln-operator} ServiceAccount, and a node agent for {@code nodes} whose worker pods run
   * the real runtime; the kubelet stops with the class.
   */
  public static NodeAgent prepare(TestCluster cluster, FakeNode... nodes) throws IOException {
    return prepare(cluster, List.of(), nodes);
  }

  /** As {@link #prepare(TestCluster, FakeNode...)}, with {@code runtimeJvmOptions} for every runtime process. */
  public static NodeAgent prepare(TestCluster cluster, List<String> runtimeJvmOptions, FakeNode... nodes)
      throws IOException {
    KubernetesClient admin = cluster.admin();
    installCrds(admin);
    applyOperatorRbac(admin, cluster.namespace());
    NodeAgent.Builder kubelet = NodeAgent.builder(admin);
    for (FakeNode node : nodes) {
      kubelet.node(node);
    }
    return cluster.closeAfterClass(kubelet.images(runtimeImages(runtimeJvmOptions)).start());
  }

  /** Installs Kiln's CRDs and waits until they are established. */
  public static void installCrds(KubernetesClient admin) {
    ClusterManifests.installCrds(admin, KilnCrds.NAMES.stream().map(KilnCrds::yaml).toList());
  }

  /** The chart's RBAC for the operator, with {@code namespace} as the release namespace. */
  public static void applyOperatorRbac(KubernetesClient admin, String namespace) {
    ClusterManifests.applyChartTemplate(admin, "operator-rbac.yaml", namespace);
  }

  /** A pool of one-GPU workers with 16Gi of GPU memory each, between {@code min} and {@code max} workers, no spares. */
  public static GpuPool gpuPool(String namespace, String name, int min, int max) {
    GpuPool pool = new GpuPool();
    pool.getMetadata().setName(name);
    pool.getMetadata().setNamespace(namespace);
    GpuPoolSpec spec = pool.getSpec();
    spec.setGpusPerWorker(1);
    spec.setGpuMemoryPerWorker(new Quantity("16Gi"));
    WorkerBounds bounds = new WorkerBounds();
    bounds.setMin(min);
    bounds.setMax(max);
    spec.setWorkers(bounds);
    spec.setWarmSpares(0);
    return pool;
  }

  /**
   * A Hot synthetic model of 1Gi on {@code pool}. It needs no file, but the CRD requires a source,
   * so it names one the operator leaves out of the load.
   */
  public static Model hotSyntheticModel(String namespace, String name, String pool, int minReplicas, int maxReplicas) {
    return syntheticModel(namespace, name, pool, ResidencyPolicy.HOT, minReplicas, maxReplicas);
  }

  /**
   * An OnDemand synthetic model of 1Gi on {@code pool}, like {@link #hotSyntheticModel}. With
   * {@code minReplicas} of 1 or more it asks for replicas without any traffic, yet as an OnDemand
   * model it may never evict a Hot one.
   */
  public static Model onDemandSyntheticModel(String namespace, String name, String pool, int minReplicas,
      int maxReplicas) {
    return syntheticModel(namespace, name, pool, ResidencyPolicy.ON_DEMAND, minReplicas, maxReplicas);
  }

  private static Model syntheticModel(String namespace, String name, String pool, ResidencyPolicy policy,
      int minReplicas, int maxReplicas) {
    Model model = new Model();
    model.getMetadata().setName(name);
    model.getMetadata().setNamespace(namespace);
    model.getSpec().setPool(pool);
    model.getSpec().setTask(ModelTask.SYNTHETIC);
    ModelSource source = new ModelSource();
    source.setUri("file:///dev/null");
    model.getSpec().setSource(source);
    model.getSpec().setGpuMemory(new Quantity("1Gi"));
    Residency residency = new Residency();
    residency.setPolicy(policy);
    residency.setMinReplicas(minReplicas);
    residency.setMaxReplicas(maxReplicas);
    model.getSpec().setResidency(residency);
    return model;
  }
}
