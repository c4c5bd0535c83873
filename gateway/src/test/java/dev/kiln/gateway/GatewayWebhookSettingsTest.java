package dev.kiln.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import dev.kiln.gateway.webhook.WebhookTargets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class GatewayWebhookSettingsTest {

  @Test
  void withoutSettingsWebhooksUseAGeneratedKeyAndRetryForTwoHours() {
    GatewaySettings.Webhooks webhooks = GatewaySettings.fromEnvironment(Map.of()).webhooks();

    assertThat(webhooks.signingKey()).isEmpty();
    assertThat(webhooks.retrySpan()).isEqualTo(Duration.ofHours(2));
  }

  @Test
  void theKeyFileAndRetrySpanComeFromTheEnvironment() {
    GatewaySettings.Webhooks webhooks = GatewaySettings.fromEnvironment(Map.of(
        "KILN_GATEWAY_WEBHOOK_KEY", "/var/run/secrets/kiln-webhook/key.pem",
        "KILN_GATEWAY_WEBHOOK_RETRY_SPAN", "30m")).webhooks();

    assertThat(webhooks.signingKey()).contains(Path.of("/var/run/secrets/kiln-webhook/key.pem"));
    assertThat(webhooks.retrySpan()).isEqualTo(Duration.ofMinutes(30));
  }

  @Test
  void aRetrySpanOfZeroIsRefusedNamingTheSetting() {
    assertThatThrownBy(() -> new GatewaySettings.Webhooks(Optional.empty(), Duration.ZERO,
        WebhookTargets.allowing(List.of())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("KILN_GATEWAY_WEBHOOK_RETRY_SPAN");
  }
}
