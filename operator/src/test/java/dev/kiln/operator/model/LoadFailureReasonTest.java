package dev.kiln.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.crds.status.ConditionReason;
import org.junit.jupiter.api.Test;

class LoadFailureReasonTest {

  @Test
  void mapsTheRuntimesMessagesToReasons() {
    assertThat(LoadFailureReason.of("sha256 mismatch for file:///m.onnx: expected 00, got ab; the download was discarded."))
        .isEqualTo(ConditionReason.CHECKSUM_MISMATCH);
    assertThat(LoadFailureReason.of("model source file:///m.onnx does not exist on this node"))
        .isEqualTo(ConditionReason.SOURCE_UNREACHABLE);
    assertThat(LoadFailureReason.of("GET https://m/a.onnx answered HTTP 403: check the source's credentials Secret"))
        .isEqualTo(ConditionReason.SOURCE_UNREACHABLE);
    assertThat(LoadFailureReason.of("download of https://m/a.onnx broke off (reset)"))
        .isEqualTo(ConditionReason.SOURCE_UNREACHABLE);
    assertThat(LoadFailureReason.of("ONNX Runtime cannot load /cache/ab: bad protobuf"))
        .isEqualTo(ConditionReason.LOAD_FAILED);
    assertThat(LoadFailureReason.of(null)).isEqualTo(ConditionReason.LOAD_FAILED);
  }

  @Test
  void aFailureCarriesItsWorkerAndReason() {
    assertThat(LoadFailure.of("w-1", "sha256 mismatch for x"))
        .isEqualTo(new LoadFailure("w-1", ConditionReason.CHECKSUM_MISMATCH, "sha256 mismatch for x"));
  }
}
