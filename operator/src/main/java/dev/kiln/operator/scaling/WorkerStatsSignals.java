package dev.kiln.operator.scaling;

import dev.kiln.operator.runtime.ModelTraffic;
import dev.kiln.operator.runtime.WorkerAdminClient;
import dev.kiln.operator.runtime.WorkerAdminException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Signals from each worker's {@code GET /stats}, read at once on virtual threads. A model a worker
 * holds but has not served yet counts as idle there; a worker that cannot be read is unread for
 * each model it holds.
 */
public final class WorkerStatsSignals implements SignalSource {

  private static final WorkerSignal IDLE = new WorkerSignal(0, 0, 0, 0);

  private final WorkerAdminClient client;

  public WorkerStatsSignals(WorkerAdminClient client) {
    this.client = client;
  }

  @Override
  public Map<String, SignalSample> read(List<ServingWorker> workers, Instant at) {
    var read = new HashMap<String, Map<String, WorkerSignal>>();
    var unread = new HashMap<String, Map<String, String>>();
    try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
      var answers = new HashMap<ServingWorker, Future<List<ModelTraffic>>>();
      workers.forEach(worker -> answers.put(worker, executor.submit(() -> client.stats(worker.address()))));
      answers.forEach((worker, answer) -> {
        worker.models().forEach(model -> {
          read.computeIfAbsent(model, m -> new HashMap<>());
          unread.computeIfAbsent(model, m -> new HashMap<>());
        });
        try {
          var traffic = new HashMap<String, ModelTraffic>();
          answer.get().forEach(model -> traffic.put(model.name(), model));
          worker.models().forEach(model -> read.get(model).put(worker.name(), signal(traffic.get(model))));
        } catch (ExecutionException e) {
          String why = e.getCause() instanceof WorkerAdminException failure ? failure.getMessage() : e.getCause().toString();
          worker.models().forEach(model -> unread.get(model).put(worker.name(), why));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          worker.models().forEach(model -> unread.get(model).put(worker.name(), "interrupted"));
        }
      });
    }
    var samples = new HashMap<String, SignalSample>();
    read.forEach((model, signals) -> samples.put(model, new SignalSample(at, signals, unread.get(model))));
    return samples;
  }

  private static WorkerSignal signal(ModelTraffic traffic) {
    return traffic == null ? IDLE : new WorkerSignal(traffic.inFlight(), traffic.queued(),
        traffic.completed() + traffic.failed(), traffic.busyNanos());
  }
}
