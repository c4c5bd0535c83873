package dev.kiln.bench.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * An open-loop load generator, run in a JVM of its own by {@link GatewayOverheadBench}: requests
 * leave on a fixed schedule, {@code rate} a second, whether or not earlier ones have been answered,
 * and each one's latency is counted from when it was due to leave, not from when it left. A
 * candidate that stalls therefore shows the stall in every request that should have gone out
 * meanwhile (no coordinated omission), which wrk and other closed-loop tools hide.
 *
 * <p>Prints one JSON line: {@link LoadSummary}.
 */
@Command(name = "open-loop-load", mixinStandardHelpOptions = true,
    description = "POSTs a body to a URL at a fixed rate and prints the latency distribution as JSON.")
public final class OpenLoopLoad implements Runnable {

  private static final long HIGHEST_TRACKABLE_NANOS = TimeUnit.MINUTES.toNanos(2);
  private static final Duration DRAIN = Duration.ofSeconds(30);

  @Option(names = "--url", required = true)
  private URI url;

  @Option(names = "--rate", required = true, description = "Requests a second.")
  private double rate;

  @Option(names = "--seconds", required = true, description = "How long the measured part lasts.")
  private double seconds;

  @Option(names = "--warmup-seconds", defaultValue = "2", description = "Unmeasured load at the same rate first.")
  private double warmupSeconds;

  @Option(names = "--header", description = "NAME=VALUE, repeatable.")
  private Map<String, String> headers = Map.of();

  @Option(names = "--body", required = true)
  private String body;

  public static void main(String[] args) {
    System.exit(new CommandLine(new OpenLoopLoad()).execute(args));
  }

  @Override
  public void run() {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).executor(Executors.newVirtualThreadPerTaskExecutor()).build();
    HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(60))
        .POST(HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(request::header);
    HttpRequest built = request.build();
    schedule(http, built, warmupSeconds, new ConcurrentHistogram(HIGHEST_TRACKABLE_NANOS, 3), new AtomicLong());
    Histogram latencies = new ConcurrentHistogram(HIGHEST_TRACKABLE_NANOS, 3);
    AtomicLong errors = new AtomicLong();
    long sent = schedule(http, built, seconds, latencies, errors);
    LoadSummary summary = new LoadSummary(sent, errors.get(), latencies.getValueAtPercentile(50) / 1e3,
        latencies.getValueAtPercentile(99) / 1e3);
    try {
      System.out.println(new ObjectMapper().writeValueAsString(summary));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Sends {@code rate × seconds} requests on schedule, waits for their answers; returns how many were sent. */
  private long schedule(HttpClient http, HttpRequest request, double seconds, Histogram latencies, AtomicLong errors) {
    long count = Math.round(rate * seconds);
    double intervalNanos = 1e9 / rate;
    List<CompletableFuture<?>> inFlight = new ArrayList<>();
    long start = System.nanoTime();
    for (long i = 0; i < count; i++) {
      long due = start + Math.round(i * intervalNanos);
      for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
        LockSupport.parkNanos(wait);
      }
      inFlight.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).handle((response, failure) -> {
        latencies.recordValue(Math.min(System.nanoTime() - due, HIGHEST_TRACKABLE_NANOS));
        if (failure != null || response.statusCode() != 200) {
          errors.incrementAndGet();
        }
        return null;
      }));
    }
    try {
      CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).get(DRAIN.toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("requests still unanswered " + DRAIN.toSeconds() + " s after the last was sent", e);
    }
    return count;
  }
}
