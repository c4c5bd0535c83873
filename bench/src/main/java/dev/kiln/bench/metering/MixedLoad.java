package dev.kiln.bench.metering;

import dev.kiln.bench.cluster.GatewayClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.LongAdder;

/**
 * The mixed load and what it knows: clients that each pick an API key, a model and a way to call it
 * (a run, or a queued request polled to its result) at random, and count every answered request
 * against its key and model. That count times the model's service time is the ground truth of compute.
 */
final class MixedLoad {

  private static final byte[] INPUT = "{\"prompt\":\"meter\"}".getBytes(StandardCharsets.UTF_8);
  private static final Duration QUEUE_POLL = Duration.ofMillis(100);
  /** The share of requests sent through the queue. */
  private static final double QUEUED = 0.3;

  /** Answered requests of one key on one model. */
  record Pair(String key, String model) {}

  private final Map<String, GatewayClient> clientsByKey;
  private final List<MeteredModel> models;
  private final Map<Pair, LongAdder> answered = new ConcurrentHashMap<>();
  private final LongAdder unanswered = new LongAdder();

  /** @param clientsByKey a client per API key name, each sending that key */
  MixedLoad(Map<String, GatewayClient> clientsByKey, List<MeteredModel> models) {
    this.clientsByKey = Map.copyOf(clientsByKey);
    this.models = List.copyOf(models);
  }

  /** Sends requests from {@code clients} concurrent clients until {@code duration} has passed. */
  void run(int clients, Duration duration, long seed) throws Exception {
    long deadline = System.nanoTime() + duration.toNanos();
    List<String> keys = clientsByKey.keySet().stream().sorted().toList();
    try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> running = new ArrayList<>();
      for (int i = 0; i < clients; i++) {
        Random random = new Random(seed + i);
        running.add(executor.submit(() -> {
          while (System.nanoTime() < deadline) {
            // Keys weigh 1, 2, 3...: some customers send more than others.
            String key = keys.get(weighted(random, keys.size()));
            if (!send(key, models.get(random.nextInt(models.size())), random.nextDouble() < QUEUED)) {
              unanswered.increment();
            }
          }
          return null;
        }));
      }
      for (Future<?> client : running) {
        client.get();
      }
    }
  }

  /** One run of {@code model} with {@code key}, counted if answered; true if it was. */
  boolean send(String key, MeteredModel model, boolean queued) throws IOException, InterruptedException {
    GatewayClient client = clientsByKey.get(key);
    boolean ok = queued ? client.queued(model.name(), new String(INPUT, StandardCharsets.UTF_8), QUEUE_POLL)
        : client.run(model.name(), "application/json", INPUT).statusCode() == 200;
    if (ok) {
      answered.computeIfAbsent(new Pair(key, model.name()), any -> new LongAdder()).increment();
    }
    return ok;
  }

  long answered(String key, String model) {
    LongAdder count = answered.get(new Pair(key, model));
    return count == null ? 0 : count.sum();
  }

  /** Requests of {@link #run} that got no answer. */
  long unanswered() {
    return unanswered.sum();
  }

  /** An index below {@code size}, index {@code i} drawn with weight {@code i + 1}. */
  private static int weighted(Random random, int size) {
    int draw = random.nextInt(size * (size + 1) / 2);
    int index = 0;
    while (draw >= index + 1) {
      draw -= index + 1;
      index++;
    }
    return index;
  }
}
