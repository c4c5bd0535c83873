package dev.kiln.runtime.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OrtProvider;
import dev.kiln.runtime.gpu.GpuTelemetry;
import dev.kiln.runtime.onnx.ExecutionProvider.GpuPresence;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class ExecutionProviderTest {

  private static final GpuPresence GPU = new GpuPresence(true, "NVML reports [0: NVIDIA H100]");

  @Test
  void cudaWhenAGpuIsPresentAndTheBuildHasTheCudaProvider() {
    ExecutionProvider provider = ExecutionProvider.choose(GPU, EnumSet.of(OrtProvider.CPU, OrtProvider.CUDA));

    assertThat(provider.cuda()).isTrue();
    assertThat(provider.reason()).contains("NVIDIA H100");
  }

  @Test
  void cpuWithTheReasonWhenTheBuildHasNoCudaProvider() {
    ExecutionProvider provider = ExecutionProvider.choose(GPU, EnumSet.of(OrtProvider.CPU));

    assertThat(provider.cuda()).isFalse();
    assertThat(provider.reason()).contains("no CUDA provider").contains("onnxruntime_gpu");
  }

  @Test
  void cpuWithoutAGpuEvenWhenTheBuildCouldUseOne() {
    ExecutionProvider provider = ExecutionProvider.choose(GpuPresence.of(GpuTelemetry.none()),
        EnumSet.of(OrtProvider.CPU, OrtProvider.CUDA));

    assertThat(provider.cuda()).isFalse();
    assertThat(provider.reason()).isEqualTo("no GPU: NVML not found (no NVIDIA driver on this node)");
  }

  @Test
  void sessionSettingsRefuseWhatOnnxRuntimeCannotDo() {
    assertThatThrownBy(() -> new SessionSettings(0, 0, "maximum", true))
        .hasMessageContaining("session.optimization must be none, basic, extended or all, got \"maximum\"");
    assertThatThrownBy(() -> new SessionSettings(-1, 0, "all", true))
        .hasMessageContaining("thread counts must be 0 (automatic) or more");
  }
}
