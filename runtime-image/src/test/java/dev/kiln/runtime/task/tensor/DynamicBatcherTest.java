package dev.kiln.runtime.task.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.onnxruntime.OrtSession;
import dev.kiln.runtime.gpu.GpuTelemetry;
import dev.kiln.runtime.onnx.ExecutionProvider;
import dev.kiln.runtime.onnx.OnnxSessions;
import dev.kiln.runtime.onnx.SessionSettings;
import dev.kiln.runtime.task.BatchingSettings;
import dev.kiln.runtime.testmodels.RandomTensors;
import dev.kiln.runtime.testmodels.ReferenceMath;
import dev.kiln.runtime.testmodels.TestModels;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Dynamic batching on a real ONNX Runtime session of a linear layer built by the test. */
class DynamicBatcherTest {

  private static final float[][] WEIGHTS = new RandomTensors(21).floats(4, 3);
  private static final float[] BIAS = new RandomTensors(22).floats(3);

  @TempDir
  Path work;

  private OnnxSessions onnx;
  private OrtSession session;
  private SessionRunner runner;

  @BeforeEach
  void open() throws Exception {
    onnx = OnnxSessions.start(ExecutionProvider.GpuPresence.of(GpuTelemetry.none()), 2);
    session = onnx.open(TestModels.write(work.resolve("linear.onnx"), TestModels.linear(WEIGHTS, BIAS)),
        SessionSettings.DEFAULTS);
    runner = new SessionRunner(onnx, session);
  }

  @AfterEach
  void close() throws Exception {
    session.close();
    onnx.close();
  }

  @Test
  void aFullBatchRunsAtOnceAsOneBatchAndEachRequestGetsItsOwnRowsAndShareOfTheTime() throws Exception {
    // A delay far longer than the test: the batch must run because it is full, not because the delay ran out.
    try (var batcher = new DynamicBatcher("linear", runner, new BatchingSettings(4, Duration.ofMinutes(5)))) {
      List<Callable<Executed>> requests = new ArrayList<>();
      List<float[][]> inputs = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        float[][] x = new RandomTensors(30 + i).floats(1, 4);
        inputs.add(x);
        requests.add(() -> batcher.submit(request(x)));
      }
      List<Executed> results = new ArrayList<>();
      try (var clients = Executors.newVirtualThreadPerTaskExecutor()) {
        for (Future<Executed> result : clients.invokeAll(requests)) {
          results.add(result.get());
        }
      }

      assertThat(batcher.batches()).isEqualTo(1);
      for (int i = 0; i < 4; i++) {
        float[] y = (float[]) results.get(i).outputs().get("y").values();
        assertThat(y).containsExactly(ReferenceMath.linear(inputs.get(i), WEIGHTS, BIAS)[0], within(1e-5f));
        assertThat(results.get(i).busyNanos()).isPositive();
      }
    }
  }

  @Test
  void aBatchSharesItsTimeInProportionToRowsInWholeNanosecondsThatAddUp() throws Exception {
    List<InferRequest> requests = List.of(request(new RandomTensors(1).floats(1, 4)),
        request(new RandomTensors(2).floats(3, 4)), request(new RandomTensors(3).floats(2, 4)));

    List<Executed> results = runner.run(requests);

    assertThat(results).extracting(result -> result.outputs().get("y").shape()[0]).containsExactly(1L, 3L, 2L);
    long total = results.stream().mapToLong(Executed::busyNanos).sum();
    assertThat(results.get(1).busyNanos()).isCloseTo(total / 2, within(3L));
    assertThat(results.get(2).busyNanos()).isCloseTo(total / 3, within(3L));
  }

  private static InferRequest request(float[][] x) {
    float[] flat = new float[x.length * 4];
    for (int row = 0; row < x.length; row++) {
      System.arraycopy(x[row], 0, flat, row * 4, 4);
    }
    return new InferRequest(null, Map.of("x", new TensorData(Datatype.FP32, new long[] {x.length, 4}, flat)), List.of());
  }
}
