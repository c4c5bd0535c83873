package dev.kiln.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One caller submitting queued requests to a model, one after another, until closed: keeps the status URL of each
 * request the gateway accepted, in submission order.
 */
final class SteadyLoad implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<String> statusUrls = new CopyOnWriteArrayList<>();
  private final AtomicBoolean submitting = new AtomicBoolean(true);
  private final AtomicReference<Exception> failure = new AtomicReference<>();
  private final Thread caller;

  private SteadyLoad(HttpClient http, URI submit, String key) {
    caller = Thread.ofVirtual().name("steady-load").start(() -> {
      HttpRequest request = HttpRequest.newBuilder(submit).timeout(Duration.ofMinutes(1))
          .header("Authorization", "Key " + key).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{}")).build();
      while (submitting.get()) {
        try {
          HttpResponse<String> submitted = http.send(request, HttpResponse.BodyHandlers.ofString());
          if (submitted.statusCode() == 200) {
            statusUrls.add(JSON.readTree(submitted.body()).path("status_url").asText());
          }
        } catch (Exception e) {
          failure.set(e);
          return;
        }
      }
    });
  }

  static SteadyLoad start(HttpClient http, URI submit, String key) {
    return new SteadyLoad(http, submit, key);
  }

  /** How many requests the gateway has accepted so far. */
  int accepted() {
    return statusUrls.size();
  }

  /** Stops submitting and returns the accepted requests' status URLs, in submission order. */
  List<String> stop() throws Exception {
    submitting.set(false);
    caller.join();
    if (failure.get() != null) {
      throw new IllegalStateException("submitting failed", failure.get());
    }
    return List.copyOf(statusUrls);
  }

  @Override
  public void close() throws Exception {
    submitting.set(false);
    caller.join();
  }
}
