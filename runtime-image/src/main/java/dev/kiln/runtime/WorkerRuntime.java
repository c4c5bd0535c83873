package dev.kiln.runtime;

import dev.kiln.runtime.gpu.GpuMetrics;
import dev.kiln.runtime.gpu.GpuSample;
import dev.kiln.runtime.gpu.GpuTelemetry;
import dev.kiln.runtime.model.ProcessMemory;
import dev.kiln.runtime.model.ResidentModels;
import dev.kiln.runtime.onnx.ExecutionProvider;
import dev.kiln.runtime.onnx.OnnxSessions;
import dev.kiln.runtime.server.ModelMetrics;
import dev.kiln.runtime.server.RuntimeServer;
import dev.kiln.runtime.server.RuntimeRoutes;
import dev.kiln.runtime.server.ServingState;
import dev.kiln.runtime.store.ModelStore;
import dev.kiln.runtime.task.Tasks;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One worker's runtime, assembled: the node cache, ONNX Runtime on the chosen execution provider,
 * the resident models and the HTTP server. {@link RuntimeMain} runs it as a process; tests start it
 * in theirs.
 */
public final class WorkerRuntime implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(WorkerRuntime.class);

  private final ServingState state;
  private final ResidentModels models;
  private final RuntimeServer server;
  private final OnnxSessions onnx;
  private final GpuTelemetry gpus;

  private WorkerRuntime(ServingState state, ResidentModels models, RuntimeServer server, OnnxSessions onnx,
      GpuTelemetry gpus) {
    this.state = state;
    this.models = models;
    this.server = server;
    this.onnx = onnx;
    this.gpus = gpus;
  }

  public static WorkerRuntime start(RuntimeConfig config, GpuTelemetry gpus) throws IOException {
    Files.createDirectories(config.cacheDirectory());
    ModelStore store = ModelStore.open(config.cacheDirectory(), config.cacheMaxBytes());
    OnnxSessions onnx = OnnxSessions.start(ExecutionProvider.GpuPresence.of(gpus), config.executionThreads());
    ExecutionProvider provider = onnx.provider();
    LOG.info("ONNX Runtime {} runs models on the {}: {}", onnx.environment().getVersion(),
        provider.cuda() ? "GPU (CUDA)" : "CPU", provider.reason());

    var state = new ServingState();
    var metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(metrics);
    new JvmThreadMetrics().bindTo(metrics);
    new ProcessorMetrics().bindTo(metrics);
    new GpuMetrics(gpus).bindTo(metrics);
    Gauge.builder("kiln_runtime_in_flight_requests", state, ServingState::inFlight)
        .description("Requests being served").register(metrics);
    Gauge.builder("kiln_runtime_ready", state, s -> s.isReady() ? 1 : 0)
        .description("1 while the runtime takes work").register(metrics);
    var modelMetrics = new ModelMetrics(metrics);
    LongSupplier memoryInUse = provider.cuda()
        ? () -> gpus.sample().stream().mapToLong(GpuSample::memoryUsedBytes).sum()
        : ProcessMemory::residentBytes;
    var models = new ResidentModels(store, Tasks.discover(), onnx, memoryInUse,
        modelMetrics::register);
    modelMetrics.observe(models);

    RuntimeServer server = RuntimeServer.start(config.bindAddress(), config.port(), state, metrics,
        new RuntimeRoutes(models, state, provider, config.maxRequestBytes())::register);
    state.markReady();
    LOG.info("kiln runtime ready on {}:{} (model cache {}, limit {} bytes, {} bytes cached)", config.bindAddress(),
        server.port(), config.cacheDirectory(), config.cacheMaxBytes(), store.sizeBytes());
    return new WorkerRuntime(state, models, server, onnx, gpus);
  }

  public int port() {
    return server.port();
  }

  public ServingState state() {
    return state;
  }

  public ResidentModels models() {
    return models;
  }

  /** Stops serving and unloads every model. */
  @Override
  public void close() {
    server.close();
    models.unloadAll();
    onnx.close();
    gpus.close();
  }
}
