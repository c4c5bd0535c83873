package dev.kiln.operator.pool;

import dev.kiln.crds.gpupool.GpuPool;
import dev.kiln.crds.gpupool.GpuPoolSpec;
import dev.kiln.crds.gpupool.ModelCache;
import dev.kiln.crds.gpupool.WorkerTemplate;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/** The pod of one worker of a pool: the Kiln runtime with the pool's GPUs, cache and overrides. */
public final class WorkerPodTemplate {

  public static final String CONTAINER = "runtime";
  public static final int PORT = 8080;
  static final String PORT_NAME = "http";
  static final String CACHE_MOUNT = "/var/cache/kiln/models";
  public static final String DEFAULT_GPU_RESOURCE = "nvidia.com/gpu";
  private static final int HASH_LENGTH = 10;

  // The runtime drains in-flight work for KILN_SHUTDOWN_GRACE_SECONDS (30) after SIGTERM; leave it room to exit.
  private static final long TERMINATION_GRACE_SECONDS = 40;
  // Loading the JVM and ONNX Runtime (and CUDA on a GPU node) can be slow: a start is never killed before 10 minutes.
  private static final int STARTUP_PERIOD_SECONDS = 2;
  private static final int STARTUP_FAILURE_THRESHOLD = 300;

  private WorkerPodTemplate() {}

  /**
   * The worker pod named {@code name}. Reads the pool and never changes it: everything taken
   * from the spec is copied, since the spec is the informer's cached object.
   *
   * @param defaultImage the runtime image used when the pool names none
   */
  public static Pod desired(GpuPool pool, String name, String defaultImage) {
    Pod pod = withoutHash(pool, name, defaultImage);
    pod.getMetadata().getLabels().put(PoolLabels.TEMPLATE_HASH, hash(pod));
    return pod;
  }

  /**
   * The hash of the template the pool's workers are made from now: of everything in a worker pod
   * but its name and the pool's own labels. A worker labelled with another hash is replaced.
   */
  public static String hash(GpuPool pool, String defaultImage) {
    return hash(withoutHash(pool, "template", defaultImage));
  }

  /** The template hash a worker pod is labelled with, empty for one made before hashes existed. */
  static String hashOf(Pod pod) {
    Map<String, String> labels = pod.getMetadata().getLabels();
    return labels == null ? "" : labels.getOrDefault(PoolLabels.TEMPLATE_HASH, "");
  }

  private static String hash(Pod pod) {
    Map<String, String> labels = new TreeMap<>(pod.getMetadata().getLabels());
    labels.keySet().removeAll(List.of(PoolLabels.POOL, PoolLabels.WORKER));
    String canonical = Serialization.asJson(pod.getSpec()) + "\nlabels=" + labels
        + "\nannotations=" + new TreeMap<>(pod.getMetadata().getAnnotations());
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, HASH_LENGTH);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  private static Pod withoutHash(GpuPool pool, String name, String defaultImage) {
    GpuPoolSpec spec = pool.getSpec();
    WorkerTemplate template = Objects.requireNonNullElseGet(spec.getTemplate(), WorkerTemplate::new);
    Map<String, String> labels = new LinkedHashMap<>(Objects.requireNonNullElse(template.getLabels(), Map.of()));
    var metadata = PoolLabels.ownedMetadata(pool, name);
    labels.putAll(metadata.getLabels());
    labels.put(PoolLabels.WORKER, name);
    metadata.setLabels(labels);
    // Where a Prometheus without the operator finds the runtime's /metrics; the template may say otherwise.
    Map<String, String> annotations = new LinkedHashMap<>(Map.of("prometheus.io/scrape", "true",
        "prometheus.io/port", Integer.toString(PORT), "prometheus.io/path", "/metrics"));
    annotations.putAll(Objects.requireNonNullElse(template.getAnnotations(), Map.of()));
    metadata.setAnnotations(annotations);
    return new PodBuilder()
        .withMetadata(metadata)
        .withSpec(new PodSpecBuilder()
            .addToContainers(new ContainerBuilder()
                .withName(CONTAINER)
                .withImage(Objects.requireNonNullElse(spec.getRuntimeImage(), defaultImage))
                .addNewPort().withName(PORT_NAME).withContainerPort(PORT).withProtocol("TCP").endPort()
                .withEnv(environment(spec))
                .withResources(resources(spec, template.getResources()))
                .addNewVolumeMount().withName("model-cache").withMountPath(CACHE_MOUNT).endVolumeMount()
                .addNewVolumeMount().withName("tmp").withMountPath("/tmp").endVolumeMount()
                .withStartupProbe(httpProbe("/healthz", STARTUP_PERIOD_SECONDS, STARTUP_FAILURE_THRESHOLD))
                .withReadinessProbe(httpProbe("/readyz", 5, 2))
                .withLivenessProbe(httpProbe("/healthz", 10, 3))
                .build())
            .withVolumes(modelCache(spec.getModelCache()),
                new VolumeBuilder().withName("tmp").withNewEmptyDir().endEmptyDir().build())
            .withNodeSelector(template.getNodeSelector() == null ? null : new LinkedHashMap<>(template.getNodeSelector()))
            .withTolerations(template.getTolerations() == null ? null
                : template.getTolerations().stream().map(t -> new TolerationBuilder(t).build()).toList())
            .withAffinity(template.getAffinity() == null ? null : new AffinityBuilder(template.getAffinity()).build())
            .withPriorityClassName(template.getPriorityClassName())
            .withTerminationGracePeriodSeconds(TERMINATION_GRACE_SECONDS)
            .withEnableServiceLinks(false)
            .build())
        .build();
  }

  private static List<EnvVar> environment(GpuPoolSpec spec) {
    List<EnvVar> env = new ArrayList<>();
    env.add(new EnvVarBuilder().withName("POD_IP")
        .withNewValueFrom().withNewFieldRef().withFieldPath("status.podIP").endFieldRef().endValueFrom().build());
    env.add(new EnvVar("KILN_PORT", Integer.toString(PORT), null));
    env.add(new EnvVar("KILN_CACHE_DIR", CACHE_MOUNT, null));
    ModelCache cache = spec.getModelCache();
    if (cache != null && cache.getSize() != null) {
      env.add(new EnvVar("KILN_CACHE_MAX_BYTES", cache.getSize().toString(), null));
    }
    return env;
  }

  /** The template's CPU and memory, plus the pool's GPUs as both request and limit (extended resources must match). */
  private static ResourceRequirements resources(GpuPoolSpec spec, ResourceRequirements overrides) {
    ResourceRequirementsBuilder resources = overrides == null
        ? new ResourceRequirementsBuilder()
        : new ResourceRequirementsBuilder(overrides);
    int gpus = Objects.requireNonNullElse(spec.getGpusPerWorker(), 0);
    if (gpus > 0) {
      String resource = Objects.requireNonNullElse(spec.getGpuResource(), DEFAULT_GPU_RESOURCE);
      resources.addToRequests(resource, new Quantity(Integer.toString(gpus)))
          .addToLimits(resource, new Quantity(Integer.toString(gpus)));
    }
    return resources.build();
  }

  /** The node's directory when the pool names one, so the workers of a node share downloads; else the pod's own. */
  private static Volume modelCache(ModelCache cache) {
    VolumeBuilder volume = new VolumeBuilder().withName("model-cache");
    if (cache != null && cache.getHostPath() != null) {
      return volume.withNewHostPath().withPath(cache.getHostPath()).withType("DirectoryOrCreate").endHostPath().build();
    }
    return volume.withNewEmptyDir().withSizeLimit(cache == null ? null : cache.getSize()).endEmptyDir().build();
  }

  private static Probe httpProbe(String path, int periodSeconds, int failureThreshold) {
    return new ProbeBuilder()
        .withNewHttpGet().withPath(path).withNewPort(PORT_NAME).endHttpGet()
        .withPeriodSeconds(periodSeconds)
        .withTimeoutSeconds(2)
        .withFailureThreshold(failureThreshold)
        .build();
  }
}
