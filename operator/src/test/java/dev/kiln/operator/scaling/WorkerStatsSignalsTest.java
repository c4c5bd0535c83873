package dev.kiln.operator.scaling;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.kiln.operator.runtime.WorkerAdminClient;
import dev.kiln.operator.scaling.SignalSource.ServingWorker;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Signals read from stand-in workers that answer {@code GET /stats} like the runtime, or not. */
class WorkerStatsSignalsTest {

  private static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");
  private static final String STATS = """
      {"ready": true, "draining": false, "inFlight": 3, "executionProvider": {"name": "cpu", "reason": "no GPU"},
       "models": [
        {"name": "echo", "resident": true, "version": "abc", "task": "synthetic", "memoryBytes": 0, "queued": 1,
         "batches": 7, "inFlight": 3, "completed": 40, "failed": 2, "busyNanos": 9000000000, "busySeconds": 9.0},
        {"name": "old", "resident": false, "inFlight": 0, "completed": 5, "failed": 0, "busyNanos": 10, "busySeconds": 0.0}]}
      """;

  private final StatsServers servers = new StatsServers();
  private final WorkerStatsSignals signals = new WorkerStatsSignals(new WorkerAdminClient(Duration.ofSeconds(2), Duration.ofSeconds(2)));

  @AfterEach
  void stop() {
    servers.close();
  }

  private URI worker(int status, String body) throws IOException {
    return servers.serve(status, body);
  }

  @Test
  void readsEachWorkerOfEachModelItHolds() throws IOException {
    var samples = signals.read(List.of(
        new ServingWorker("w-1", worker(200, STATS), Set.of("echo", "idle")),
        new ServingWorker("w-2", worker(200, STATS), Set.of("echo"))), AT);

    assertThat(samples).containsOnlyKeys("echo", "idle");
    var busy = new WorkerSignal(3, 1, 42, 9_000_000_000L);
    assertThat(samples.get("echo")).isEqualTo(new SignalSample(AT, Map.of("w-1", busy, "w-2", busy), Map.of()));
    assertThat(samples.get("idle")).isEqualTo(new SignalSample(AT, Map.of("w-1", new WorkerSignal(0, 0, 0, 0)), Map.of()));
  }

  @Test
  void aWorkerThatFailsUnparsableOrUnreachableIsUnreadWithTheReason() throws IOException {
    HttpServer gone = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    URI unreachable = URI.create("http://127.0.0.1:" + gone.getAddress().getPort());
    gone.stop(0);

    SignalSample sample = signals.read(List.of(
        new ServingWorker("ok", worker(200, STATS), Set.of("echo")),
        new ServingWorker("error", worker(500, "{\"error\": \"stats broke\"}"), Set.of("echo")),
        new ServingWorker("garbled", worker(200, "{\"models\": [{\"name\": \"echo\", \"inFlight\": \"many\"}]}"), Set.of("echo")),
        new ServingWorker("html", worker(200, "<html>"), Set.of("echo")),
        new ServingWorker("gone", unreachable, Set.of("echo"))), AT).get("echo");

    assertThat(sample.workers()).containsOnlyKeys("ok");
    assertThat(sample.unread()).containsOnlyKeys("error", "garbled", "html", "gone");
    assertThat(sample.unread().get("error")).isEqualTo("stats broke");
    assertThat(sample.unread().get("garbled")).isEqualTo("unparsable /stats: model echo has inFlight \"many\"");
    assertThat(sample.unread().get("html")).isEqualTo("unparsable /stats: no list of models");
    assertThat(sample.unread().get("gone")).contains("/stats failed");
  }
}
