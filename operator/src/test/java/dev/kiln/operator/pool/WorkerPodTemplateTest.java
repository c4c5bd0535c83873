package dev.kiln.operator.pool;

import static dev.kiln.operator.pool.PoolFixtures.pool;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.crds.gpupool.GpuPool;
import dev.kiln.crds.gpupool.ModelCache;
import dev.kiln.crds.gpupool.WorkerTemplate;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkerPodTemplateTest {

  @Test
  void labelsAndOwnsTheWorker() {
    Pod pod = WorkerPodTemplate.desired(pool(1, 1, 0, 2), "alpha-x7k2p", "kiln-runtime:default");

    assertThat(pod.getMetadata().getName()).isEqualTo("alpha-x7k2p");
    assertThat(pod.getMetadata().getNamespace()).isEqualTo("ml");
    assertThat(pod.getMetadata().getLabels()).containsExactlyInAnyOrderEntriesOf(Map.of(
        "kiln.dev/pool", "alpha", "kiln.dev/worker", "alpha-x7k2p", "app.kubernetes.io/managed-by", "kiln",
        "kiln.dev/template-hash", WorkerPodTemplate.hash(pool(1, 1, 0, 2), "kiln-runtime:default")));
    assertThat(pod.getMetadata().getOwnerReferences()).singleElement().satisfies(owner -> {
      assertThat(owner.getKind()).isEqualTo("GpuPool");
      assertThat(owner.getApiVersion()).isEqualTo("kiln.dev/v1alpha1");
      assertThat(owner.getUid()).isEqualTo("pool-uid");
      assertThat(owner.getController()).isTrue();
    });
  }

  @Test
  void theTemplateHashFollowsWhatTheWorkerRunsButNotItsName() {
    GpuPool pool = pool(1, 1, 0, 2);
    String hash = WorkerPodTemplate.hash(pool, "kiln-runtime:default");

    assertThat(hash).matches("[0-9a-f]{10}");
    assertThat(WorkerPodTemplate.desired(pool, "alpha-other", "kiln-runtime:default").getMetadata().getLabels())
        .containsEntry("kiln.dev/template-hash", hash);
    assertThat(WorkerPodTemplate.hash(pool, "kiln-runtime:newer")).as("the default image").isNotEqualTo(hash);
    pool.getSpec().setRuntimeImage("kiln-runtime:pinned");
    assertThat(WorkerPodTemplate.hash(pool, "kiln-runtime:default")).as("the pool's image").isNotEqualTo(hash);
    pool.getSpec().setRuntimeImage(null);
    WorkerTemplate template = new WorkerTemplate();
    template.setNodeSelector(Map.of("gpu", "h100"));
    pool.getSpec().setTemplate(template);
    assertThat(WorkerPodTemplate.hash(pool, "kiln-runtime:default")).as("node selection").isNotEqualTo(hash);
    pool.getSpec().setTemplate(null);
    pool.getSpec().getWorkers().setMax(9);
    pool.getSpec().setScaleDownDelay("1m");
    assertThat(WorkerPodTemplate.hash(pool, "kiln-runtime:default")).as("pool sizing").isEqualTo(hash);
  }

  @Test
  void runsTheRuntimeWithItsEnvironmentGpusAndProbes() {
    Container runtime = runtime(WorkerPodTemplate.desired(pool(2, 1, 0, 2), "alpha-1", "kiln-runtime:default"));

    assertThat(runtime.getName()).isEqualTo("runtime");
    assertThat(runtime.getImage()).isEqualTo("kiln-runtime:default");
    assertThat(runtime.getEnv()).extracting(EnvVar::getName).containsExactly("POD_IP", "KILN_PORT", "KILN_CACHE_DIR");
    assertThat(runtime.getEnv().getFirst().getValueFrom().getFieldRef().getFieldPath()).isEqualTo("status.podIP");
    assertThat(runtime.getResources().getRequests()).containsEntry("nvidia.com/gpu", new Quantity("2"));
    assertThat(runtime.getResources().getLimits()).containsEntry("nvidia.com/gpu", new Quantity("2"));
    assertThat(runtime.getPorts()).singleElement().satisfies(p -> assertThat(p.getContainerPort()).isEqualTo(8080));
    assertThat(runtime.getStartupProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(runtime.getStartupProbe().getPeriodSeconds() * runtime.getStartupProbe().getFailureThreshold())
        .as("seconds a slow start is given").isGreaterThanOrEqualTo(600);
    assertThat(runtime.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(runtime.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
  }

  @Test
  void aCpuPoolRequestsNoGpu() {
    Container runtime = runtime(WorkerPodTemplate.desired(pool(0, 1, 0, 2), "alpha-1", "img"));

    assertThat(runtime.getResources().getLimits()).doesNotContainKey("nvidia.com/gpu");
    assertThat(runtime.getResources().getRequests()).doesNotContainKey("nvidia.com/gpu");
  }

  @Test
  void takesTheImageCacheAndOverridesFromTheSpecWithoutChangingIt() {
    GpuPool pool = pool(1, 1, 0, 2);
    pool.getSpec().setRuntimeImage("registry.example.com/kiln-runtime:1.2");
    pool.getSpec().setGpuResource("amd.com/gpu");
    ModelCache cache = new ModelCache();
    cache.setHostPath("/mnt/nvme/kiln");
    cache.setSize(new Quantity("500Gi"));
    pool.getSpec().setModelCache(cache);
    WorkerTemplate template = new WorkerTemplate();
    template.setNodeSelector(Map.of("gpu.product", "H100"));
    template.setTolerations(List.of(new TolerationBuilder().withKey("nvidia.com/gpu").withOperator("Exists").build()));
    template.setAffinity(new AffinityBuilder().withNewNodeAffinity().endNodeAffinity().build());
    template.setResources(new ResourceRequirementsBuilder().addToRequests("cpu", new Quantity("4")).build());
    template.setPriorityClassName("inference");
    template.setLabels(Map.of("team", "vision", "kiln.dev/pool", "spoofed"));
    template.setAnnotations(Map.of("example.com/owner", "vision"));
    pool.getSpec().setTemplate(template);

    Pod pod = WorkerPodTemplate.desired(pool, "alpha-1", "img");

    Container runtime = runtime(pod);
    assertThat(runtime.getImage()).isEqualTo("registry.example.com/kiln-runtime:1.2");
    assertThat(runtime.getResources().getRequests())
        .containsEntry("cpu", new Quantity("4")).containsEntry("amd.com/gpu", new Quantity("1"));
    assertThat(runtime.getEnv()).contains(new EnvVar("KILN_CACHE_MAX_BYTES", "500Gi", null));
    assertThat(pod.getSpec().getVolumes()).filteredOn(v -> v.getName().equals("model-cache")).singleElement()
        .satisfies(v -> assertThat(v.getHostPath().getPath()).isEqualTo("/mnt/nvme/kiln"));
    assertThat(pod.getSpec().getNodeSelector()).isEqualTo(Map.of("gpu.product", "H100"));
    assertThat(pod.getSpec().getTolerations()).isEqualTo(template.getTolerations());
    assertThat(pod.getSpec().getAffinity()).isEqualTo(template.getAffinity());
    assertThat(pod.getSpec().getPriorityClassName()).isEqualTo("inference");
    assertThat(pod.getMetadata().getLabels()).containsEntry("team", "vision").containsEntry("kiln.dev/pool", "alpha");
    assertThat(pod.getMetadata().getAnnotations()).containsEntry("example.com/owner", "vision")
        .containsEntry("prometheus.io/scrape", "true").containsEntry("prometheus.io/port", "8080")
        .containsEntry("prometheus.io/path", "/metrics");
    assertThat(template.getResources().getRequests()).as("the spec is not changed").containsOnlyKeys("cpu");
  }

  @Test
  void withoutAHostPathTheCacheIsThePodsOwn() {
    GpuPool pool = pool(1, 1, 0, 2);
    pool.getSpec().setModelCache(new ModelCache());

    Pod pod = WorkerPodTemplate.desired(pool, "alpha-1", "img");

    assertThat(pod.getSpec().getVolumes()).filteredOn(v -> v.getName().equals("model-cache")).singleElement()
        .satisfies(v -> assertThat(v.getEmptyDir()).isNotNull());
  }

  private static Container runtime(Pod pod) {
    return pod.getSpec().getContainers().getFirst();
  }
}
