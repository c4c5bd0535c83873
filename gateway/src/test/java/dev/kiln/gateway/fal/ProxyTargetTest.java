package dev.kiln.gateway.fal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProxyTargetTest {

  @Test
  void theRunAndQueueHostsAreTellApartAndThePathAndQueryKept() {
    assertThat(ProxyTarget.of("https://fal.run/ml/echo"))
        .isEqualTo(new ProxyTarget(ProxyTarget.Host.RUN, "/ml/echo", Optional.empty()));
    assertThat(ProxyTarget.of("https://queue.fal.run/ml/echo/requests/r-1/status?logs=1"))
        .isEqualTo(new ProxyTarget(ProxyTarget.Host.QUEUE, "/ml/echo/requests/r-1/status", Optional.of("logs=1")));
  }

  @Test
  void anythingElseIsABadRequestThatSaysWhatIsExpected() {
    assertThatThrownBy(() -> ProxyTarget.of(null))
        .isInstanceOfSatisfying(FalException.class, e -> assertThat(e.detail()).contains("missing header x-fal-target-url"));
    assertThatThrownBy(() -> ProxyTarget.of("https://evil.example.com/ml/echo"))
        .isInstanceOfSatisfying(FalException.class, e -> {
          assertThat(e.status()).isEqualTo(400);
          assertThat(e.detail()).contains("must name https://fal.run/").contains("evil.example.com");
        });
    assertThatThrownBy(() -> ProxyTarget.of("https://fal.run/a b"))
        .isInstanceOfSatisfying(FalException.class, e -> assertThat(e.detail()).contains("is not a URL"));
  }
}
