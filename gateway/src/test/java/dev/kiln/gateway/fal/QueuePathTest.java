package dev.kiln.gateway.fal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class QueuePathTest {

  private static final EndpointId ECHO = new EndpointId("ml", "echo", Optional.empty());

  @Test
  void aPostToAnEndpointSubmitsWithItsSubPath() {
    assertThat(QueuePath.of("POST", "/ml/echo")).isEqualTo(new QueuePath.Submit(ECHO));
    assertThat(QueuePath.of("POST", "/ml/echo/fast/v2"))
        .isEqualTo(new QueuePath.Submit(new EndpointId("ml", "echo", Optional.of("fast/v2"))));
  }

  @Test
  void statusResultAndCancelAreFoundBehindRequestsWithOrWithoutTheSubPath() {
    assertThat(QueuePath.of("GET", "/ml/echo/requests/r-1/status")).isEqualTo(new QueuePath.Status(ECHO, "r-1", false));
    assertThat(QueuePath.of("GET", "/ml/echo/requests/r-1/status/stream")).isEqualTo(new QueuePath.Status(ECHO, "r-1", true));
    assertThat(QueuePath.of("GET", "/ml/echo/requests/r-1")).isEqualTo(new QueuePath.Result(ECHO, "r-1"));
    assertThat(QueuePath.of("GET", "/ml/echo/requests/r-1/response")).isEqualTo(new QueuePath.Result(ECHO, "r-1"));
    assertThat(QueuePath.of("PUT", "/ml/echo/requests/r-1/cancel")).isEqualTo(new QueuePath.Cancel(ECHO, "r-1"));
    assertThat(QueuePath.of("GET", "/ml/echo/fast/requests/r-1/status"))
        .isEqualTo(new QueuePath.Status(new EndpointId("ml", "echo", Optional.of("fast")), "r-1", false));
  }

  @Test
  void wrongMethodsAndUnknownPathsAreRefusedWithWhatToUse() {
    assertThatThrownBy(() -> QueuePath.of("POST", "/ml/echo/requests/r-1/cancel"))
        .isInstanceOfSatisfying(FalException.class, e -> {
          assertThat(e.status()).isEqualTo(405);
          assertThat(e.detail()).contains("use PUT");
        });
    assertThatThrownBy(() -> QueuePath.of("GET", "/ml/echo/requests/r-1/logs"))
        .isInstanceOfSatisfying(FalException.class, e -> assertThat(e.status()).isEqualTo(404));
    assertThatThrownBy(() -> QueuePath.of("GET", "/ml/echo/requests"))
        .isInstanceOfSatisfying(FalException.class, e -> assertThat(e.detail()).contains("no request id"));
  }

  @Test
  void workflowAndComfyIdsAndNonKubernetesNamesAreNotFound() {
    assertThatThrownBy(() -> QueuePath.of("POST", "/workflows/me/flow"))
        .isInstanceOfSatisfying(FalException.class, e -> {
          assertThat(e.status()).isEqualTo(404);
          assertThat(e.detail()).contains("not served by Kiln");
        });
    assertThatThrownBy(() -> QueuePath.of("POST", "/comfy/me/graph")).isInstanceOf(FalException.class);
    assertThatThrownBy(() -> QueuePath.of("POST", "/ML/Echo"))
        .isInstanceOfSatisfying(FalException.class, e -> assertThat(e.detail()).contains("no Model ML/Echo"));
    assertThatThrownBy(() -> QueuePath.of("POST", "/echo"))
        .isInstanceOfSatisfying(FalException.class, e -> assertThat(e.detail()).contains("owner/app"));
  }

  @Test
  void aRunPathEndingInStreamStreams() {
    assertThat(RunPath.of("/ml/echo")).isEqualTo(new RunPath(ECHO, false));
    assertThat(RunPath.of("/ml/echo/stream")).isEqualTo(new RunPath(ECHO, true));
    assertThat(RunPath.of("/ml/echo/fast/stream"))
        .isEqualTo(new RunPath(new EndpointId("ml", "echo", Optional.of("fast")), true));
    assertThat(RunPath.of("/ml/stream")).as("an app named stream").isEqualTo(new RunPath(new EndpointId("ml", "stream",
        Optional.empty()), false));
  }
}
