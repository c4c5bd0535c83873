package dev.kiln.operator;

import dev.kiln.operator.health.OperationsServer;
import dev.kiln.operator.health.OperatorHealth;
import dev.kiln.operator.leader.LeaderElectionSettings;
import dev.kiln.operator.leader.Leadership;
import dev.kiln.operator.metrics.OperatorMetrics;
import dev.kiln.operator.metrics.StatusMetrics;
import dev.kiln.operator.model.GatewayPods;
import dev.kiln.operator.model.ModelReconciler;
import dev.kiln.operator.pool.GpuPoolReconciler;
import dev.kiln.operator.usage.UsageCollector;
import dev.kiln.operator.usage.UsageSettings;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the controllers into a Java Operator SDK {@link Operator}, with its metrics, HTTP endpoints
 * and leader election. The client finds the cluster the usual way: the pod's service account
 * in-cluster, {@code KUBECONFIG} or ~/.kube/config outside.
 */
public final class KilnOperator {

  private static final Logger LOG = LoggerFactory.getLogger(KilnOperator.class);

  private final KubernetesClient client;
  private final Operator operator;
  private final OperatorMetrics metrics;
  private final OperationsServer server;
  private final Optional<Leadership> leadership;
  private final UsageCollector usage;
  private boolean stopped;

  private KilnOperator(KubernetesClient client, Operator operator, OperatorMetrics metrics, OperationsServer server,
      Optional<Leadership> leadership, UsageCollector usage) {
    this.client = client;
    this.operator = operator;
    this.metrics = metrics;
    this.server = server;
    this.leadership = leadership;
    this.usage = usage;
  }

  public static void main(String[] args) {
    OperatorSettings settings;
    UsageSettings usage;
    try {
      settings = OperatorSettings.fromEnvironment(System.getenv());
      usage = UsageSettings.fromEnvironment(System.getenv(), settings);
    } catch (IllegalArgumentException e) {
      System.err.println("kiln-operator cannot start: " + e.getMessage());
      System.exit(2);
      return;
    }
    KilnOperator kiln = start(new KubernetesClientBuilder().build(), settings, () -> System.exit(1), usage);
    GracefulShutdown.install(kiln::stop);
  }

  /**
   * Starts the operator with {@code client}; the caller stops it (the client stays open). Should it
   * lose its lease while running, the process exits 1: another replica may be reconciling already,
   * and a restart brings this one back as a standby.
   */
  public static KilnOperator start(KubernetesClient client, OperatorSettings settings) {
    return start(client, settings, () -> System.exit(1));
  }

  /** As {@link #start(KubernetesClient, OperatorSettings)}, with what to do when the lease is lost while running. */
  public static KilnOperator start(KubernetesClient client, OperatorSettings settings, Runnable onLostLeadership) {
    return start(client, settings, onLostLeadership, UsageSettings.fromEnvironment(System.getenv(), settings));
  }

  /** As {@link #start(KubernetesClient, OperatorSettings, Runnable)}, collecting usage as {@code usageSettings} say. */
  public static KilnOperator start(KubernetesClient client, OperatorSettings settings, Runnable onLostLeadership,
      UsageSettings usageSettings) {
    OperatorMetrics metrics = new OperatorMetrics();
    Optional<Leadership> leadership = settings.leaderElection().map(election -> new Leadership(election, onLostLeadership));
    leadership.ifPresent(l -> l.bindTo(metrics.registry()));
    Operator operator = new Operator(o -> {
      o.withKubernetesClient(client).withCloseClientOnStop(false).withMetrics(metrics.josdk());
      leadership.ifPresent(l -> o.withLeaderElectionConfiguration(l.configuration()));
    });
    operator.register(new GpuPoolReconciler(settings.runtimeImage(), settings.drain()), c -> watch(c, settings));
    operator.register(new ModelReconciler(settings.autoscaler(),
        GatewayPods.fromEnvironment(client, System.getenv()), metrics.registry()), c -> watch(c, settings));
    // Listening before the informers sync, so that probes and scrapes see a starting operator, not a dead port.
    OperationsServer server = serve(settings.httpPort(), new OperatorHealth(operator), metrics);
    try {
      operator.start();
    } catch (RuntimeException e) {
      server.close();
      metrics.close();
      throw e;
    }
    LOG.info("operator.started http_port={} namespaces={} leader_election={}", server.port(),
        settings.namespaces().isEmpty() ? "all" : String.join(",", settings.namespaces()),
        settings.leaderElection().map(e -> "lease=" + e.leaseNamespace() + "/" + LeaderElectionSettings.LEASE_NAME + " identity=" + e.identity())
            .orElse("off"));
    BooleanSupplier leading = leadership.<BooleanSupplier>map(l -> l::leading).orElse(() -> true);
    metrics.register(new StatusMetrics(client, settings.namespaces(), leading));
    UsageCollector usage = UsageCollector.start(client, settings.namespaces(), usageSettings, metrics.registry(), leading);
    return new KilnOperator(client, operator, metrics, server, leadership, usage);
  }

  /** Stops collecting usage and reconciling, then hands the lease to a standby, then stops the HTTP endpoints. Idempotent. */
  public synchronized void stop() {
    if (stopped) {
      return;
    }
    stopped = true;
    leadership.ifPresent(Leadership::stopping);
    usage.close();
    try {
      operator.stop();
      // Only once nothing reconciles here any more may a standby start.
      leadership.ifPresent(l -> l.release(client));
    } finally {
      server.close();
      metrics.close();
    }
    LOG.info("operator.stopped");
  }

  /** The registry scraped on {@code /metrics}: bind further meters to it. */
  public MeterRegistry meterRegistry() {
    return metrics.registry();
  }

  /** The port of {@code /metrics}, {@code /healthz} and {@code /readyz}. */
  public int httpPort() {
    return server.port();
  }

  private static OperationsServer serve(int port, OperatorHealth health, OperatorMetrics metrics) {
    try {
      return OperationsServer.start(port, health::healthy, health::ready, metrics::scrape);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on port " + port + " (KILN_OPERATOR_HTTP_PORT)", e);
    }
  }

  private static void watch(ControllerConfigurationOverrider<?> controller, OperatorSettings settings) {
    if (settings.namespaces().isEmpty()) {
      controller.watchingAllNamespaces();
    } else {
      controller.settingNamespaces(settings.namespaces());
    }
  }
}
