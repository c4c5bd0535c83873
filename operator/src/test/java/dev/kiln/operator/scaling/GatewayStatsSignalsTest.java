package dev.kiln.operator.scaling;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.kiln.operator.runtime.GatewayStatsClient;
import dev.kiln.operator.scaling.GatewaySource.ModelRef;
import dev.kiln.operator.scaling.GatewaySource.ServingGateway;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GatewayStatsSignalsTest {

  private static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");
  /** As the gateway's StatsApi writes it. */
  private static final String STATS = """
      {"inFlight": 3, "queued": 5,
       "models": [{"namespace": "ml", "name": "echo", "arrived": 120, "inFlight": 3, "queued": 5,
                   "queuedNormal": 4, "queuedLow": 1, "replicas": 1},
                  {"namespace": "ml", "name": "cold", "arrived": 1, "inFlight": 0, "queued": 1,
                   "queuedNormal": 1, "queuedLow": 0, "replicas": 0}]}
      """;

  private final StatsServers servers = new StatsServers();
  private final GatewayStatsClient client = new GatewayStatsClient(Duration.ofSeconds(2));

  @AfterEach
  void stop() {
    servers.close();
  }

  private URI gateway(int status, String body) throws IOException {
    return servers.serve(status, body);
  }

  @Test
  void readsEachModelOfEachGateway() throws IOException {
    var gateways = List.of(new ServingGateway("kiln/gw-1", gateway(200, STATS)),
        new ServingGateway("kiln/gw-2", gateway(200, "{\"inFlight\": 0, \"queued\": 0, \"models\": []}")));

    GatewaySource.Reading reading = new GatewayStatsSignals(() -> gateways, client).read(AT);

    assertThat(reading.unread()).isEmpty();
    assertThat(reading.answered()).isEqualTo(Map.of(
        "kiln/gw-1", Map.of(new ModelRef("ml", "echo"), new GatewaySignal(3, 5, 120),
            new ModelRef("ml", "cold"), new GatewaySignal(0, 1, 1)),
        "kiln/gw-2", Map.of()));
  }

  @Test
  void aGatewayThatFailsUnparsableOrUnreachableIsUnreadWithTheReason() throws IOException {
    HttpServer gone = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    URI unreachable = URI.create("http://127.0.0.1:" + gone.getAddress().getPort());
    gone.stop(0);
    var gateways = List.of(
        new ServingGateway("ok", gateway(200, STATS)),
        new ServingGateway("error", gateway(503, "{\"error\": \"shutting down\"}")),
        new ServingGateway("garbled", gateway(200, """
            {"models": [{"namespace": "ml", "name": "echo", "arrived": -1, "inFlight": 0, "queued": 0}]}""")),
        new ServingGateway("nameless", gateway(200, "{\"models\": [{\"name\": \"echo\"}]}")),
        new ServingGateway("html", gateway(200, "<html>")),
        new ServingGateway("gone", unreachable));

    GatewaySource.Reading reading = new GatewayStatsSignals(() -> gateways, client).read(AT);

    assertThat(reading.answered()).containsOnlyKeys("ok");
    assertThat(reading.unread()).containsOnlyKeys("error", "garbled", "nameless", "html", "gone");
    assertThat(reading.unread().get("error")).isEqualTo("shutting down");
    assertThat(reading.unread().get("garbled")).isEqualTo("unparsable /stats: model ml/echo has arrived -1");
    assertThat(reading.unread().get("nameless")).isEqualTo("unparsable /stats: a model without a namespace and name");
    assertThat(reading.unread().get("html")).isEqualTo("unparsable /stats: no list of models");
    assertThat(reading.unread().get("gone")).contains("/stats failed");
  }

  @Test
  void gatewaysThatCannotBeListedAreUnread() {
    GatewaySource.Reading reading = new GatewayStatsSignals(() -> {
      throw new IllegalStateException("Forbidden: pods is forbidden");
    }, client).read(AT);

    assertThat(reading.answered()).isEmpty();
    assertThat(reading.unread()).isEqualTo(Map.of(GatewayStatsSignals.LISTING,
        "gateway pods not listed: Forbidden: pods is forbidden"));
  }
}
