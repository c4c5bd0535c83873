package dev.kiln.operator.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The operator's side of a worker's admin API ({@code /admin/models}): load, unload and list; and
 * its {@code /stats}, the autoscaler's signal. A load answers only once the model is warm, so its
 * timeout is long; the others are short.
 */
public final class WorkerAdminClient {

  /** The port the runtime listens on in every worker pod. */
  public static final int PORT = 8080;

  private final JsonHttp http;
  private final Duration loadTimeout;
  private final Duration requestTimeout;

  public WorkerAdminClient(Duration loadTimeout, Duration requestTimeout) {
    this.http = new JsonHttp(requestTimeout);
    this.loadTimeout = loadTimeout;
    this.requestTimeout = requestTimeout;
  }

  /** Timeouts for models that download and warm up within ten minutes. */
  public static WorkerAdminClient withDefaults() {
    return new WorkerAdminClient(Duration.ofMinutes(10), Duration.ofSeconds(10));
  }

  /** The base address of the runtime in a pod with IP {@code podIp}. */
  public static URI worker(String podIp) {
    return JsonHttp.address(podIp, PORT);
  }

  /** Loads and warms the model; returns once the worker serves it. Loading what is loaded is a no-op. */
  public LoadedModel load(URI worker, LoadRequest request) throws WorkerAdminException {
    String body = JsonHttp.write(request);
    JsonNode answer = http.send(HttpRequest.newBuilder(worker.resolve("/admin/models"))
        .timeout(loadTimeout)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build());
    return LoadedModel.from(answer);
  }

  /** Unloads the model; a model the worker does not hold counts as unloaded. */
  public void unload(URI worker, String model) throws WorkerAdminException {
    try {
      http.send(HttpRequest.newBuilder(worker.resolve("/admin/models/" + model)).timeout(requestTimeout).DELETE().build());
    } catch (WorkerAdminException e) {
      if (e.status() != 404) {
        throw e;
      }
    }
  }

  /** Unloads one version of the model, serving or staged; a version the worker does not hold counts as unloaded. */
  public void unload(URI worker, String model, String version) throws WorkerAdminException {
    try {
      http.send(HttpRequest.newBuilder(worker.resolve("/admin/models/" + model + "?version="
          + URLEncoder.encode(version, StandardCharsets.UTF_8))).timeout(requestTimeout).DELETE().build());
    } catch (WorkerAdminException e) {
      if (e.status() != 404) {
        throw e;
      }
    }
  }

  /** The models the worker holds now. */
  public List<LoadedModel> list(URI worker) throws WorkerAdminException {
    JsonNode answer = http.send(HttpRequest.newBuilder(worker.resolve("/admin/models")).timeout(requestTimeout).GET().build());
    var models = new ArrayList<LoadedModel>();
    answer.path("models").forEach(model -> models.add(LoadedModel.from(model)));
    return models;
  }

  /**
   * Asks the runtime to drain ({@code POST /admin/drain}): from then on it refuses new work with
   * 503 and finishes what it holds.
   *
   * @return the requests still in flight when it answered
   */
  public int drain(URI worker) throws WorkerAdminException {
    JsonNode answer = http.send(HttpRequest.newBuilder(worker.resolve("/admin/drain"))
        .timeout(requestTimeout)
        .POST(HttpRequest.BodyPublishers.noBody())
        .build());
    return inFlight(answer);
  }

  /** The requests the worker has in flight now, from {@code GET /stats}. */
  public int inFlight(URI worker) throws WorkerAdminException {
    return inFlight(http.get(worker.resolve("/stats"), requestTimeout));
  }

  private static int inFlight(JsonNode answer) throws WorkerAdminException {
    JsonNode value = answer.path("inFlight");
    if (!value.isIntegralNumber() || !value.canConvertToInt() || value.asInt() < 0) {
      throw new WorkerAdminException(0, "no count of requests in flight: " + value);
    }
    return value.asInt();
  }

  /** Each model's traffic on the worker; an answer that does not parse is refused. */
  public List<ModelTraffic> stats(URI worker) throws WorkerAdminException {
    JsonNode answer = http.get(worker.resolve("/stats"), requestTimeout);
    if (!answer.path("models").isArray()) {
      throw ModelTraffic.unparsable("no list of models");
    }
    var traffic = new ArrayList<ModelTraffic>();
    for (JsonNode model : answer.path("models")) {
      traffic.add(ModelTraffic.from(model));
    }
    return traffic;
  }

  /**
   * The worker's cumulative busy nanoseconds by model, from {@code GET /stats}. Counters only grow
   * while the runtime process lives; a restarted runtime starts again from zero. An answer that
   * does not parse is an error rather than a worker that served nothing: read as empty, it would
   * reset the worker's counters and its busy time would count twice.
   */
  public Map<String, Long> busyNanos(URI worker) throws WorkerAdminException {
    return stats(worker).stream().collect(Collectors.toUnmodifiableMap(ModelTraffic::name, ModelTraffic::busyNanos));
  }
}
