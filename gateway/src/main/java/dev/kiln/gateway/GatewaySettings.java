package dev.kiln.gateway;

import dev.kiln.crds.DurationText;
import dev.kiln.gateway.results.ResultObjectsSettings;
import dev.kiln.gateway.store.DatabaseSettings;
import dev.kiln.gateway.store.DurableQueueSettings;
import dev.kiln.gateway.webhook.WebhookTargets;
import io.fabric8.kubernetes.api.model.Quantity;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The gateway's configuration, from its environment.
 *
 * @param namespaces where Models, ApiKeys and worker pods are watched; empty for every namespace
 * @param opsPort the plain-http listener of health, readiness, {@code /metrics} and the autoscaler's
 *     {@code /stats}, for the cluster's own callers
 * @param tls the PEM certificate chain and private key both listeners serve https with, if any
 * @param maxBodyBytes the largest request body accepted
 * @param resultRetention how long a completed request's status and result stay readable
 * @param spillDirectory where results too large to keep in memory go
 * @param resultMemoryBytes the most result bytes kept in memory
 * @param queueCapacity the most requests one model's queue holds
 * @param workerTimeout how long one run may take on a worker
 * @param shutdownGrace how long a stopping gateway finishes what it accepted
 * @param webhooks how {@code fal_webhook} deliveries are signed and retried
 * @param pod the pod this replica runs as, which makes it one of several behind a Service; empty
 *     for a gateway running alone
 * @param durableQueue where queued requests are kept so that they outlive this replica (PostgreSQL); empty for a
 *     queue in this replica's memory, lost with it
 */
public record GatewaySettings(
    Set<String> namespaces,
    String bindAddress,
    int runPort,
    int queuePort,
    int opsPort,
    Optional<TlsFiles> tls,
    long maxBodyBytes,
    Duration resultRetention,
    Path spillDirectory,
    long resultMemoryBytes,
    int queueCapacity,
    Duration workerTimeout,
    Duration shutdownGrace,
    Webhooks webhooks,
    Optional<Pod> pod,
    Optional<DurableQueueSettings> durableQueue) {

  /** A gateway pod, named to this replica by the downward API. */
  public record Pod(String namespace, String name) {

    public Pod {
      Objects.requireNonNull(namespace, "namespace");
      Objects.requireNonNull(name, "name");
    }
  }

  /** A PEM certificate chain and its private key. */
  public record TlsFiles(Path certificateChain, Path privateKey) {}

  /**
   * @param signingKey the Ed25519 private key (PKCS#8 PEM) webhooks are signed with; empty for a
   *     key generated at start, which receivers can only learn from this gateway's JWKS
   * @param retrySpan how long a failing delivery is retried
   * @param targets which webhook URLs may be called: public addresses, and internal ones only where allow-listed
   */
  public record Webhooks(Optional<Path> signingKey, Duration retrySpan, WebhookTargets targets) {

    public Webhooks {
      Objects.requireNonNull(signingKey, "signingKey");
      Objects.requireNonNull(targets, "targets");
      if (retrySpan.isNegative() || retrySpan.isZero()) {
        throw new IllegalArgumentException("KILN_GATEWAY_WEBHOOK_RETRY_SPAN must be more than 0, got " + retrySpan);
      }
    }
  }

  public GatewaySettings {
    namespaces = Set.copyOf(namespaces);
    Objects.requireNonNull(tls, "tls");
    Objects.requireNonNull(webhooks, "webhooks");
    Objects.requireNonNull(pod, "pod");
    Objects.requireNonNull(durableQueue, "durableQueue");
    if (runPort < 0 || runPort > 65535 || queuePort < 0 || queuePort > 65535 || opsPort < 0 || opsPort > 65535) {
      throw new IllegalArgumentException("KILN_GATEWAY_RUN_PORT, KILN_GATEWAY_QUEUE_PORT and KILN_GATEWAY_OPS_PORT must be "
          + "ports from 0 to 65535");
    }
    if (maxBodyBytes < 1 || resultMemoryBytes < 0 || queueCapacity < 1) {
      throw new IllegalArgumentException("KILN_GATEWAY_MAX_BODY_BYTES and KILN_GATEWAY_QUEUE_CAPACITY must be positive, "
          + "KILN_GATEWAY_RESULT_MEMORY must not be negative");
    }
  }

  public static GatewaySettings fromEnvironment(Map<String, String> env) {
    Optional<String> cert = value(env, "KILN_GATEWAY_TLS_CERT");
    Optional<String> key = value(env, "KILN_GATEWAY_TLS_KEY");
    if (cert.isPresent() != key.isPresent()) {
      throw new IllegalArgumentException("set both KILN_GATEWAY_TLS_CERT and KILN_GATEWAY_TLS_KEY (PEM files) for https, "
          + "or neither for http");
    }
    Optional<String> podName = value(env, "KILN_GATEWAY_POD_NAME");
    Optional<String> podNamespace = value(env, "KILN_GATEWAY_POD_NAMESPACE");
    if (podName.isPresent() != podNamespace.isPresent()) {
      throw new IllegalArgumentException("set both KILN_GATEWAY_POD_NAME and KILN_GATEWAY_POD_NAMESPACE (from the "
          + "downward API: metadata.name and metadata.namespace) when replicas run behind one Service, or neither "
          + "for a gateway running alone");
    }
    return new GatewaySettings(
        value(env, "KILN_WATCH_NAMESPACES")
            .map(list -> Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .collect(Collectors.toSet()))
            .orElse(Set.of()),
        value(env, "KILN_GATEWAY_BIND_ADDRESS").orElse("0.0.0.0"),
        port(env, "KILN_GATEWAY_RUN_PORT", 8080),
        port(env, "KILN_GATEWAY_QUEUE_PORT", 8081),
        port(env, "KILN_GATEWAY_OPS_PORT", 8082),
        cert.map(c -> new TlsFiles(Path.of(c), Path.of(key.orElseThrow()))),
        bytes(env, "KILN_GATEWAY_MAX_BODY_BYTES", "32Mi"),
        DurationText.fromEnvironment(env, "KILN_GATEWAY_RESULT_RETENTION", Duration.ofHours(1)),
        Path.of(value(env, "KILN_GATEWAY_SPILL_DIR").orElse(System.getProperty("java.io.tmpdir") + "/kiln-gateway")),
        bytes(env, "KILN_GATEWAY_RESULT_MEMORY", "256Mi"),
        number(env, "KILN_GATEWAY_QUEUE_CAPACITY", 1000),
        DurationText.fromEnvironment(env, "KILN_GATEWAY_WORKER_TIMEOUT", Duration.ofMinutes(10)),
        DurationText.fromEnvironment(env, "KILN_GATEWAY_SHUTDOWN_GRACE", Duration.ofSeconds(30)),
        new Webhooks(value(env, "KILN_GATEWAY_WEBHOOK_KEY").map(Path::of),
            DurationText.fromEnvironment(env, "KILN_GATEWAY_WEBHOOK_RETRY_SPAN", Duration.ofHours(2)),
            WebhookTargets.fromEnvironment(env)),
        podName.map(name -> new Pod(podNamespace.orElseThrow(), name)),
        durableQueue(env));
  }

  /** The durable queue's settings when {@code KILN_GATEWAY_DATABASE_URL} is set; empty, for a queue in memory, when not. */
  private static Optional<DurableQueueSettings> durableQueue(Map<String, String> env) {
    Optional<String> url = value(env, "KILN_GATEWAY_DATABASE_URL");
    if (url.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new DurableQueueSettings(new DatabaseSettings(url.get(),
        value(env, "KILN_GATEWAY_DATABASE_USER"), value(env, "KILN_GATEWAY_DATABASE_PASSWORD"),
        number(env, "KILN_GATEWAY_DATABASE_CONNECTIONS", 10)),
        DurationText.fromEnvironment(env, "KILN_GATEWAY_LEASE_TIME", Duration.ofSeconds(30)),
        ResultObjectsSettings.fromEnvironment(env),
        number(env, "KILN_GATEWAY_RESULT_INLINE_BYTES", DurableQueueSettings.DEFAULT_INLINE_LIMIT)));
  }

  private static Optional<String> value(Map<String, String> env, String name) {
    return Optional.ofNullable(env.get(name)).map(String::trim).filter(s -> !s.isEmpty());
  }

  private static int port(Map<String, String> env, String name, int fallback) {
    return number(env, name, fallback);
  }

  private static int number(Map<String, String> env, String name, int fallback) {
    Optional<String> value = value(env, name);
    try {
      return value.map(Integer::parseInt).orElse(fallback);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number, got '" + value.get() + "'", e);
    }
  }

  private static long bytes(Map<String, String> env, String name, String fallback) {
    String value = value(env, name).orElse(fallback);
    try {
      return Quantity.getAmountInBytes(new Quantity(value)).longValueExact();
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new IllegalArgumentException(name + " must be a size such as 32Mi or 1Gi, got '" + value + "'", e);
    }
  }
}
