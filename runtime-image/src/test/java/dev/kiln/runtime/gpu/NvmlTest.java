package dev.kiln.runtime.gpu;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The FFM binding against a fake NVML built at test time: no GPU here, but real native calls. */
class NvmlTest {

  /** The values fake_nvml.c answers with. */
  static final List<GpuSample> FAKE_GPUS = List.of(
      new GpuSample(0, "Fake GPU A100-80GB", "GPU-00000000-0000-0000-0000-000000000000", 1L << 30, 80L << 30,
          OptionalInt.of(37)),
      new GpuSample(1, "Fake GPU MIG 1g.10gb", "GPU-11111111-1111-1111-1111-111111111111", 512L << 20, 10L << 30,
          OptionalInt.empty()));

  @TempDir
  static Path libraries;
  static Path fakeNvml;

  @BeforeAll
  static void buildFakeNvml() throws Exception {
    fakeNvml = FakeNvml.build(libraries);
  }

  @Test
  void readsEveryGpuThroughNvml() {
    try (GpuTelemetry telemetry = GpuTelemetry.detect(fakeNvml.toString())) {
      assertThat(telemetry.available()).isTrue();
      assertThat(telemetry.sample()).isEqualTo(FAKE_GPUS);
      assertThat(telemetry.sample()).as("a second read").isEqualTo(FAKE_GPUS);
    }
  }

  @Test
  void detectTakesTheFirstLibraryThatLoads() {
    try (GpuTelemetry telemetry = GpuTelemetry.detect("/nonexistent/libnvidia-ml.so.1", fakeNvml.toString())) {
      assertThat(telemetry.available()).isTrue();
      assertThat(telemetry.sample()).hasSize(2);
    }
  }

  @Test
  @SuppressWarnings("restricted")
  void closeShutsNvmlDownAndLaterReadsFail() throws Throwable {
    // The test's own handle on the library keeps it loaded, and its state with it, after close().
    try (Arena arena = Arena.ofConfined()) {
      MethodHandle openSessions = Linker.nativeLinker().downcallHandle(
          SymbolLookup.libraryLookup(fakeNvml, arena).find("fake_nvml_open_sessions").orElseThrow(),
          FunctionDescriptor.of(JAVA_INT));
      int before = (int) openSessions.invokeExact();

      GpuTelemetry telemetry = GpuTelemetry.detect(fakeNvml.toString());
      assertThat((int) openSessions.invokeExact()).isEqualTo(before + 1);
      telemetry.close();
      telemetry.close();

      assertThat((int) openSessions.invokeExact()).as("nvmlShutdown called once").isEqualTo(before);
      assertThatThrownBy(telemetry::sample).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }
  }

  @Test
  void aDriverThatDoesNotStartIsNoGpu() throws Exception {
    String withoutDriver = FakeNvml.buildWithoutDriver(libraries).toString();

    assertThatThrownBy(() -> Nvml.open(withoutDriver)).isInstanceOfSatisfying(NvmlException.class,
        e -> assertThat(e.code()).isEqualTo(9))
        .hasMessage("nvmlInit_v2 failed: Driver Not Loaded (NVML error 9)");
    try (GpuTelemetry telemetry = GpuTelemetry.detect(withoutDriver)) {
      assertThat(telemetry.available()).isFalse();
      assertThat(telemetry.sample()).isEmpty();
    }
  }
}
