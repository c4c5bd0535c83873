package dev.kiln.crds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.crds.apikey.ApiKey;
import dev.kiln.crds.apikey.CapPeriod;
import dev.kiln.crds.apikey.KeyPriority;
import dev.kiln.crds.gpupool.GpuPool;
import dev.kiln.crds.model.Model;
import dev.kiln.crds.model.ModelFormat;
import dev.kiln.crds.model.ResidencyPolicy;
import dev.kiln.testing.junit.LocalKubernetes;
import dev.kiln.testing.junit.TestCluster;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@LocalKubernetes
class CrdValidationIT {

  private static final String POOL = """
      apiVersion: kiln.dev/v1alpha1
      kind: GpuPool
      metadata: {name: %s}
      spec:
      %s
      """;
  private static final String MODEL = """
      apiVersion: kiln.dev/v1alpha1
      kind: Model
      metadata: {name: %s}
      spec:
      %s
      """;
  private static final String KEY = """
      apiVersion: kiln.dev/v1alpha1
      kind: ApiKey
      metadata: {name: %s}
      spec:
      %s
      """;

  @BeforeAll
  static void installCrds(KubernetesClient admin) {
    KilnCrdSupport.install(admin);
  }

  @Test
  void apiServerFillsInTheSchemaDefaults(TestCluster cluster) {
    create(cluster, POOL.formatted("defaults", """
          gpuMemoryPerWorker: 80Gi
          workers: {max: 4}
        """));
    create(cluster, MODEL.formatted("defaults", """
          pool: defaults
          source: {uri: "https://models.example.com/rmbg.onnx"}
          task: background-removal
        """));
    create(cluster, KEY.formatted("defaults", """
          secretRef: {name: team-a-key}
        """));

    GpuPool pool = cluster.admin().resources(GpuPool.class).inNamespace(cluster.namespace()).withName("defaults").get();
    assertThat(pool.getSpec().getGpusPerWorker()).isEqualTo(1);
    assertThat(pool.getSpec().getGpuResource()).isEqualTo("nvidia.com/gpu");
    assertThat(pool.getSpec().getWorkers().getMin()).isZero();
    assertThat(pool.getSpec().getWarmSpares()).isEqualTo(1);
    assertThat(pool.getSpec().getModelCache().getHostPath()).isEqualTo("/var/cache/kiln/models");
    assertThat(pool.getSpec().getModelCache().getSize()).isEqualTo(new Quantity("200Gi"));
    assertThat(pool.getSpec().getPricePerGpuSecond()).isEqualTo("0");
    assertThat(pool.getSpec().getCurrency()).isEqualTo("USD");
    assertThat(pool.getSpec().getScaleDownDelay()).isEqualTo("5m");
    assertThat(pool.getSpec().getRollout().getMaxSurge()).isEqualTo(1);
    assertThat(pool.getSpec().getRollout().getMaxUnavailable()).isZero();
    assertThat(pool.getSpec().getRollout().getProgressDeadline()).isEqualTo("10m");
    assertThat(pool.getSpec().getPaused()).isFalse();

    Model model = cluster.admin().resources(Model.class).inNamespace(cluster.namespace()).withName("defaults").get();
    assertThat(model.getSpec().getFormat()).isEqualTo(ModelFormat.ONNX);
    assertThat(model.getSpec().getResidency().getPolicy()).isEqualTo(ResidencyPolicy.ON_DEMAND);
    assertThat(model.getSpec().getResidency().getMinReplicas()).isZero();
    assertThat(model.getSpec().getResidency().getMaxReplicas()).isEqualTo(1);
    assertThat(model.getSpec().getResidency().getIdleTimeout()).isEqualTo("10m");
    assertThat(model.getSpec().getTargetConcurrency()).isEqualTo(1);
    assertThat(model.getSpec().getBatching().getMaxBatchSize()).isEqualTo(1);
    assertThat(model.getSpec().getBatching().getMaxDelay()).isEqualTo("0ms");
    assertThat(model.getSpec().getPricePerSecond()).isEqualTo("0");
    assertThat(model.getSpec().getPaused()).isFalse();

    ApiKey key = cluster.admin().resources(ApiKey.class).inNamespace(cluster.namespace()).withName("defaults").get();
    assertThat(key.getSpec().getSecretRef().getKey()).isEqualTo("key");
    assertThat(key.getSpec().getRateLimit().getRequestsPerSecond()).isEqualTo(10);
    assertThat(key.getSpec().getRateLimit().getBurst()).isEqualTo(20);
    assertThat(key.getSpec().getPriority()).isEqualTo(KeyPriority.INTERACTIVE);
    assertThat(key.getSpec().getDisabled()).isFalse();
    assertThat(key.getSpec().getSpendCap()).isNull();
  }

  static Stream<Arguments> invalidSpecs() {
    return Stream.of(
        invalid("pool without workers", POOL, "gpuMemoryPerWorker: 80Gi", "spec.workers: Required value"),
        invalid("pool with min > max", POOL, "gpuMemoryPerWorker: 80Gi\nworkers: {min: 5, max: 2}",
            "workers.min must not exceed workers.max"),
        invalid("pool with more spares than workers", POOL, "gpuMemoryPerWorker: 80Gi\nworkers: {max: 2}\nwarmSpares: 3",
            "warmSpares must not exceed workers.max"),
        invalid("pool with 32 GPUs per worker", POOL, "gpusPerWorker: 32\ngpuMemoryPerWorker: 80Gi\nworkers: {max: 2}",
            "spec.gpusPerWorker: Invalid value: 32: spec.gpusPerWorker in body should be less than or equal to 16"),
        invalid("pool with a negative price", POOL, "gpuMemoryPerWorker: 80Gi\nworkers: {max: 2}\npricePerGpuSecond: \"-0.001\"",
            "pricePerGpuSecond must be a non-negative decimal"),
        invalid("pool with a bad memory quantity", POOL, "gpuMemoryPerWorker: 80 gigs\nworkers: {max: 2}",
            "gpuMemoryPerWorker must be a quantity such as 80Gi"),
        invalid("GPU pool without GPU memory", POOL, "workers: {max: 2}",
            "gpuMemoryPerWorker is required when gpusPerWorker > 0"),
        invalid("pool with a bad scale-down delay", POOL, "gpuMemoryPerWorker: 80Gi\nworkers: {max: 2}\nscaleDownDelay: five minutes",
            "scaleDownDelay must be a duration such as 90s, 5m or 1h30m"),
        invalid("pool whose rollout can neither surge nor take a worker away", POOL,
            "gpuMemoryPerWorker: 80Gi\nworkers: {max: 2}\nrollout: {maxSurge: 0}",
            "rollout.maxSurge and rollout.maxUnavailable cannot both be 0"),
        invalid("pool with a bad progress deadline", POOL,
            "gpuMemoryPerWorker: 80Gi\nworkers: {max: 2}\nrollout: {progressDeadline: soon}",
            "rollout.progressDeadline must be a duration such as 90s, 10m or 1h"),
        invalid("pool with a relative cache path", POOL, "gpuMemoryPerWorker: 80Gi\nworkers: {max: 2}\nmodelCache: {hostPath: cache}",
            "modelCache.hostPath must be an absolute path"),
        invalid("pool with a bad cache size", POOL, "gpuMemoryPerWorker: 80Gi\nworkers: {max: 2}\nmodelCache: {size: big}",
            "modelCache.size must be a quantity such as 200Gi"),
        invalid("pool with a lowercase currency", POOL, "gpuMemoryPerWorker: 80Gi\nworkers: {max: 2}\ncurrency: usd",
            "spec.currency in body should match '^[A-Z]{3}$'"),
        invalid("model without pool", MODEL, "source: {uri: \"https://x.example/m.onnx\"}\ntask: tensor",
            "spec.pool: Required value"),
        invalid("model from plain http", MODEL, "pool: p\nsource: {uri: \"http://x.example/m.onnx\"}\ntask: tensor",
            "source.uri must start with https://, hf://, s3://, file:// or pvc://"),
        invalid("model from ftp", MODEL, "pool: p\nsource: {uri: \"ftp://x.example/m.onnx\"}\ntask: tensor",
            "source.uri must start with https://, hf://, s3://, file:// or pvc://"),
        invalid("model with an unknown task", MODEL, "pool: p\nsource: {uri: \"https://x.example/m.onnx\"}\ntask: chat",
            "spec.task: Unsupported value: \"chat\""),
        invalid("hot model with no replicas", MODEL,
            "pool: p\nsource: {uri: \"https://x.example/m.onnx\"}\ntask: tensor\nresidency: {policy: Hot}",
            "a Hot model must stay resident somewhere: set residency.minReplicas to 1 or more"),
        invalid("model with min > max replicas", MODEL,
            "pool: p\nsource: {uri: \"https://x.example/m.onnx\"}\ntask: tensor\nresidency: {minReplicas: 3, maxReplicas: 2}",
            "residency.minReplicas must not exceed residency.maxReplicas"),
        invalid("model with a negative price", MODEL,
            "pool: p\nsource: {uri: \"https://x.example/m.onnx\"}\ntask: tensor\npricePerSecond: \"-1\"",
            "pricePerSecond must be a non-negative decimal"),
        invalid("model with a short sha256", MODEL,
            "pool: p\nsource: {uri: \"https://x.example/m.onnx\", sha256: abc123}\ntask: tensor",
            "spec.source.sha256 in body should match '^[a-f0-9]{64}$'"),
        invalid("model with a bad memory quantity", MODEL,
            "pool: p\nsource: {uri: \"https://x.example/m.onnx\"}\ntask: tensor\ngpuMemory: lots",
            "gpuMemory must be a quantity such as 6Gi"),
        invalid("model with zero concurrency", MODEL,
            "pool: p\nsource: {uri: \"https://x.example/m.onnx\"}\ntask: tensor\ntargetConcurrency: 0",
            "spec.targetConcurrency in body should be greater than or equal to 1"),
        invalid("model with a bad batching delay", MODEL,
            "pool: p\nsource: {uri: \"https://x.example/m.onnx\"}\ntask: tensor\nbatching: {maxDelay: soon}",
            "batching.maxDelay must be a duration"),
        invalid("key without a secret", KEY, "priority: Batch", "spec.secretRef: Required value"),
        invalid("key with burst below the rate", KEY,
            "secretRef: {name: k}\nrateLimit: {requestsPerSecond: 50, burst: 10}",
            "rateLimit.burst must be at least rateLimit.requestsPerSecond"),
        invalid("key with a negative cap", KEY, "secretRef: {name: k}\nspendCap: {amount: \"-5\"}",
            "spendCap.amount must be a non-negative decimal"),
        invalid("key with a weekly cap", KEY, "secretRef: {name: k}\nspendCap: {amount: \"5\", period: Week}",
            "spec.spendCap.period: Unsupported value: \"Week\""),
        invalid("key with an unknown priority", KEY, "secretRef: {name: k}\npriority: Urgent",
            "spec.priority: Unsupported value: \"Urgent\""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidSpecs")
  void invalidSpecIsRejectedWithAMessageSayingWhatToFix(String description, String manifest, String expectedMessage,
      TestCluster cluster) {
    assertThatThrownBy(() -> create(cluster, manifest))
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
          assertThat(e.getCode()).isEqualTo(422);
          assertThat(e.getStatus().getMessage()).contains(expectedMessage);
        });
  }

  @Test
  void modelCannotMoveToAnotherPool(TestCluster cluster) {
    create(cluster, MODEL.formatted("pinned", """
          pool: a100
          source: {uri: "hf://acme/upscaler/model.onnx"}
          task: upscale
        """));

    assertThatThrownBy(() -> cluster.admin().resources(Model.class).inNamespace(cluster.namespace()).withName("pinned")
        .edit(model -> {
          model.getSpec().setPool("h100");
          return model;
        }))
        .isInstanceOfSatisfying(KubernetesClientException.class, e ->
            assertThat(e.getStatus().getMessage()).contains("pool is immutable: create a new Model on the other pool"));
  }

  @Test
  void poolCannotChangeItsWorkerSize(TestCluster cluster) {
    create(cluster, POOL.formatted("fixed-size", """
          gpusPerWorker: 1
          gpuMemoryPerWorker: 80Gi
          workers: {max: 2}
        """));

    assertThatThrownBy(() -> cluster.admin().resources(GpuPool.class).inNamespace(cluster.namespace())
        .withName("fixed-size").edit(pool -> {
          pool.getSpec().setGpusPerWorker(2);
          return pool;
        }))
        .isInstanceOfSatisfying(KubernetesClientException.class, e ->
            assertThat(e.getStatus().getMessage()).contains("gpusPerWorker is immutable"));
  }

  @Test
  void spendCapPeriodDefaultsToMonth(TestCluster cluster) {
    create(cluster, KEY.formatted("capped", """
          secretRef: {name: k}
          spendCap: {amount: "100.00"}
        """));
    ApiKey key = cluster.admin().resources(ApiKey.class).inNamespace(cluster.namespace()).withName("capped").get();
    assertThat(key.getSpec().getSpendCap().getPeriod()).isEqualTo(CapPeriod.MONTH);
  }

  private static Arguments invalid(String description, String template, String spec, String expectedMessage) {
    String name = description.replaceAll("[^a-z0-9]+", "-").replaceAll("-$", "");
    String indented = spec.lines().map(line -> "  " + line).reduce((a, b) -> a + "\n" + b).orElse("");
    return Arguments.of(description, template.formatted(name, indented), expectedMessage);
  }

  private static HasMetadata create(TestCluster cluster, String manifest) {
    return cluster.admin().resource(manifest).inNamespace(cluster.namespace()).create();
  }
}
