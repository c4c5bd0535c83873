package dev.kiln.runtime.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GpuTelemetryTest {

  @Test
  void withoutTheLibraryThereIsNoGpuAndNoError() {
    try (GpuTelemetry telemetry = GpuTelemetry.detect("libnvidia-ml-kiln-test-absent.so.1", "/nonexistent/libnvidia-ml.so")) {
      assertThat(telemetry.available()).isFalse();
      assertThat(telemetry.sample()).isEmpty();
    }
  }

  @Test
  void aLibraryThatIsNotNvmlIsNoGpu() {
    try (GpuTelemetry telemetry = GpuTelemetry.detect("libc.so.6")) {
      assertThat(telemetry.available()).isFalse();
      assertThat(telemetry.sample()).isEmpty();
    }
  }
}
