package dev.kiln.bench.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.operator.runtime.LoadRequest;
import dev.kiln.operator.runtime.LoadedModel;
import dev.kiln.operator.runtime.ModelTraffic;
import dev.kiln.operator.runtime.WorkerAdminClient;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The fake answers the operator's own client as the runtime would, and keeps each pod's models. */
class FakeWorkerRuntimeTest {

  private final WorkerAdminClient operator = new WorkerAdminClient(Duration.ofSeconds(5), Duration.ofSeconds(5));
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final FakeRuntimeTally tally = new FakeRuntimeTally();
  private FakeWorkerRuntime runtime;
  private URI worker;

  @BeforeEach
  void start() throws IOException {
    runtime = FakeWorkerRuntime.start("127.0.0.1", 0, executor, tally);
    worker = runtime.address();
  }

  @AfterEach
  void stop() {
    runtime.close();
    executor.close();
  }

  @Test
  void loadsListsReportsAndUnloadsModels() throws Exception {
    var options = new ObjectMapper().createObjectNode().put("memoryBytes", 1024);

    LoadedModel loaded = operator.load(worker, new LoadRequest("echo", "v1", "synthetic", null, null, options));
    operator.load(worker, new LoadRequest("echo", "v1", "synthetic", null, null, options));
    operator.load(worker, new LoadRequest("other", "v1", "synthetic", null, null, null));

    assertThat(loaded).isEqualTo(new LoadedModel("echo", "v1", 1024, 0));
    assertThat(tally.loads()).isEqualTo(2);
    assertThat(operator.list(worker)).extracting(LoadedModel::name).containsExactly("echo", "other");
    assertThat(operator.stats(worker)).containsExactly(new ModelTraffic("echo", 0, 0, 0, 0, 0),
        new ModelTraffic("other", 0, 0, 0, 0, 0));
    assertThat(operator.inFlight(worker)).isZero();

    operator.unload(worker, "echo");
    operator.unload(worker, "never-loaded");
    assertThat(operator.list(worker)).extracting(LoadedModel::name).containsExactly("other");
    assertThat(tally.unloads()).isEqualTo(1);
  }

  @Test
  void aNewVersionIsLoadedAgain() throws Exception {
    operator.load(worker, new LoadRequest("echo", "v1", "synthetic", null, null, null));
    operator.load(worker, new LoadRequest("echo", "v2", "synthetic", null, null, null));

    assertThat(tally.loads()).isEqualTo(2);
    assertThat(operator.list(worker)).extracting(LoadedModel::version).containsExactly("v2");
  }

  @Test
  void drains() throws Exception {
    assertThat(operator.drain(worker)).isZero();
  }

  @Test
  void theStandInBindsOnlyAPodsOwnLoopbackAddress() {
    try (var runtimes = new FakeWorkerRuntimes()) {
      assertThatThrownBy(() -> runtimes.start(null, null, "127.0.0.5")).isInstanceOf(IOException.class);
      assertThatThrownBy(() -> runtimes.start(null, null, "0.0.0.0")).isInstanceOf(IOException.class);
    }
  }
}
