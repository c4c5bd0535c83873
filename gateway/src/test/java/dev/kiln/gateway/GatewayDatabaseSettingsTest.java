package dev.kiln.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.gateway.results.S3Settings;
import dev.kiln.gateway.store.DurableQueueSettings;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GatewayDatabaseSettingsTest {

  @Test
  void withoutADatabaseUrlTheQueueStaysInMemory() {
    assertThat(GatewaySettings.fromEnvironment(Map.of()).durableQueue()).isEmpty();
  }

  @Test
  void aDatabaseUrlTurnsOnTheDurableQueueWithItsSettings() {
    DurableQueueSettings durable = GatewaySettings.fromEnvironment(Map.of(
        "KILN_GATEWAY_DATABASE_URL", "jdbc:postgresql://kiln-postgres:5432/kiln",
        "KILN_GATEWAY_DATABASE_USER", "kiln",
        "KILN_GATEWAY_DATABASE_PASSWORD", "secret",
        "KILN_GATEWAY_DATABASE_CONNECTIONS", "4",
        "KILN_GATEWAY_LEASE_TIME", "12s",
        "KILN_GATEWAY_RESULT_INLINE_BYTES", "1024",
        "KILN_GATEWAY_RESULTS_STORE", "s3",
        "KILN_GATEWAY_S3_BUCKET", "kiln-results")).durableQueue().orElseThrow();

    assertThat(durable.database().jdbcUrl()).isEqualTo("jdbc:postgresql://kiln-postgres:5432/kiln");
    assertThat(durable.database().user()).contains("kiln");
    assertThat(durable.database().password()).contains("secret");
    assertThat(durable.database().maxConnections()).isEqualTo(4);
    assertThat(durable.leaseTime()).isEqualTo(Duration.ofSeconds(12));
    assertThat(durable.renewEvery()).isEqualTo(Duration.ofSeconds(4));
    assertThat(durable.inlineLimit()).isEqualTo(1024);
    assertThat(durable.resultObjects()).isInstanceOfSatisfying(S3Settings.class,
        s3 -> assertThat(s3.bucket()).isEqualTo("kiln-results"));
  }

  @Test
  void aWrongValueIsRefusedNamingItsVariable() {
    assertThatThrownBy(() -> GatewaySettings.fromEnvironment(Map.of(
        "KILN_GATEWAY_DATABASE_URL", "postgres://kiln-postgres/kiln")))
        .hasMessageContaining("KILN_GATEWAY_DATABASE_URL").hasMessageContaining("jdbc:postgresql://");
    assertThatThrownBy(() -> GatewaySettings.fromEnvironment(Map.of(
        "KILN_GATEWAY_DATABASE_URL", "jdbc:postgresql://kiln-postgres/kiln",
        "KILN_GATEWAY_DATABASE_CONNECTIONS", "many")))
        .hasMessageContaining("KILN_GATEWAY_DATABASE_CONNECTIONS");
    assertThatThrownBy(() -> GatewaySettings.fromEnvironment(Map.of(
        "KILN_GATEWAY_DATABASE_URL", "jdbc:postgresql://kiln-postgres/kiln",
        "KILN_GATEWAY_LEASE_TIME", "500ms")))
        .hasMessageContaining("KILN_GATEWAY_LEASE_TIME");
  }
}
