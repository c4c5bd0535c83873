package dev.kiln.gateway.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.gateway.queue.QueueDepth;
import dev.kiln.gateway.routing.ModelKey;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatsApiTest {

  @Test
  void listsEachModelsDemandAndTheTotals() throws Exception {
    StatsApi stats = new StatsApi(() -> List.of(
        new ModelDemand(new ModelKey("ml", "echo"), 12, 2, new QueueDepth(3, 1), 1),
        new ModelDemand(new ModelKey("ml", "cold"), 4, 0, new QueueDepth(4, 0), 0)));

    assertThat(stats.stats()).hasToString(new ObjectMapper().readTree("""
        {"inFlight": 2, "queued": 8, "models": [
          {"namespace": "ml", "name": "echo", "arrived": 12, "inFlight": 2, "queued": 4, "queuedNormal": 3,
           "queuedLow": 1, "replicas": 1},
          {"namespace": "ml", "name": "cold", "arrived": 4, "inFlight": 0, "queued": 4, "queuedNormal": 4,
           "queuedLow": 0, "replicas": 0}]}
        """).toString());
  }
}
