package dev.kiln.bench.cluster;

import dev.kiln.cli.DevFleet;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.OptionalInt;

/** What the cluster benchmarks apply in Kiln's namespace under {@code kiln dev}: manifests and API keys. */
public final class KilnObjects {

  private KilnObjects() {}

  /** Applies every resource in {@code yaml} in the namespace, server-side, as {@code kubectl apply} would. */
  public static void apply(KubernetesClient admin, String yaml) {
    for (HasMetadata resource : admin.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).items()) {
      admin.resource(resource).inNamespace(DevFleet.NAMESPACE).forceConflicts().serverSideApply();
    }
  }

  /**
   * Makes an API key {@code name} that may call every model, at {@code requestsPerSecond} (its burst
   * too) or else the gateway's default limit; returns it as clients send it.
   */
  public static String apiKey(KubernetesClient admin, String name, OptionalInt requestsPerSecond) {
    byte[] random = new byte[16];
    new SecureRandom().nextBytes(random);
    String secret = HexFormat.of().formatHex(random);
    String rateLimit = requestsPerSecond.isPresent()
        ? "\n  rateLimit: {requestsPerSecond: %d, burst: %d}".formatted(requestsPerSecond.getAsInt(),
            requestsPerSecond.getAsInt())
        : "";
    apply(admin, """
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
          secretRef: {name: %s-key, key: key}%s
        """.formatted(name, secret, name, name, rateLimit));
    return DevFleet.NAMESPACE + "/" + name + ":" + secret;
  }
}
