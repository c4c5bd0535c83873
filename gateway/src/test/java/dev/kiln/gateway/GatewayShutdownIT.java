package dev.kiln.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kiln.testing.junit.LocalKubernetes;
import dev.kiln.testing.junit.TestCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A gateway told to stop under load finishes every synchronous run it accepted and refuses new ones with 503. */
@LocalKubernetes
class GatewayShutdownIT {

  private static final int RUNS = 4;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @TempDir
  Path work;

  @Test
  void noAcceptedSynchronousRunIsDropped(TestCluster cluster) throws Exception {
    try (GatewayTestbed testbed = GatewayTestbed.start(cluster, work, "127.0.78.2", Optional.empty());
        var clients = Executors.newVirtualThreadPerTaskExecutor()) {
      String key = testbed.apiKey("ci", "ci-secret", List.of(), Optional.empty());
      testbed.awaitServing(key);
      URI slow = testbed.run("/" + testbed.namespace() + "/slow");
      // One replica runs one at a time, so all but one wait in the queue when the stop comes.
      List<CompletableFuture<HttpResponse<String>>> accepted = java.util.stream.IntStream.range(0, RUNS)
          .mapToObj(i -> CompletableFuture.supplyAsync(() -> post(slow, key), clients))
          .toList();
      await("all runs accepted").atMost(GatewayTestbed.TIMEOUT).until(() -> testbed.gateway().inFlight() == RUNS);

      CompletableFuture<Boolean> stopped = CompletableFuture.supplyAsync(() -> {
        try {
          return testbed.gateway().shutdown(Duration.ofSeconds(30));
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
      }, clients);
      await("draining").atMost(GatewayTestbed.TIMEOUT).until(testbed.gateway()::draining);

      HttpResponse<String> refused = post(slow, key);
      assertThat(refused.statusCode()).isEqualTo(503);
      assertThat(refused.headers().firstValue("X-Fal-Error-Type")).contains("runner_scheduling_failure");
      assertThat(http.send(HttpRequest.newBuilder(testbed.run("/readyz")).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(503);
      for (CompletableFuture<HttpResponse<String>> run : accepted) {
        assertThat(run.get().statusCode()).as(run.get().body()).isEqualTo(200);
      }
      assertThat(stopped.get()).as("everything finished within the grace period").isTrue();
    }
  }

  private HttpResponse<String> post(URI uri, String key) {
    try {
      return http.send(HttpRequest.newBuilder(uri).header("Authorization", "Key " + key)
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
