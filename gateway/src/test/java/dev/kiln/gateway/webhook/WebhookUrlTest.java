package dev.kiln.gateway.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WebhookUrlTest {

  @ParameterizedTest
  @ValueSource(strings = {"https://example.com/hook", "http://127.0.0.1:9000/h?token=a", "HTTPS://example.com"})
  void absoluteHttpAndHttpsUrlsAreAccepted(String url) {
    assertThat(WebhookUrl.parse(url)).isEqualTo(URI.create(url));
  }

  @ParameterizedTest
  @ValueSource(strings = {"/hook", "example.com/hook", "ftp://example.com/hook", "http://", "https:///hook",
      "not a url", "", "mailto:someone@example.com"})
  void anythingElseIsRefusedWithWhatToSend(String url) {
    assertThatThrownBy(() -> WebhookUrl.parse(url))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("fal_webhook must be an absolute http or https URL");
  }
}
