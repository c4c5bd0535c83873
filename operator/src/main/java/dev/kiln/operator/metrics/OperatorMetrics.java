package dev.kiln.operator.metrics;

import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.MultiCollector;

/**
 * The operator's one meter registry, scraped on {@code /metrics}: JVM and process metrics, the
 * Java Operator SDK's reconciliation metrics (per controller, never per resource: one series per
 * custom resource would grow without bound), and whatever else binds to {@link #registry()}.
 */
public final class OperatorMetrics implements AutoCloseable {

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final JvmGcMetrics gc = new JvmGcMetrics();
  private final Metrics josdk = MicrometerMetrics.withoutPerResourceMetrics(registry);

  public OperatorMetrics() {
    new ClassLoaderMetrics().bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
  }

  /** For {@code ConfigurationServiceOverrider.withMetrics}. */
  public Metrics josdk() {
    return josdk;
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** Adds metrics read at scrape time straight into the Prometheus registry behind {@link #registry()}. */
  public void register(MultiCollector collector) {
    registry.getPrometheusRegistry().register(collector);
  }

  /** The Prometheus text exposition of every meter. */
  public String scrape() {
    return registry.scrape();
  }

  @Override
  public void close() {
    gc.close();
    registry.close();
  }
}
