package dev.kiln.operator.usage;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.LongStream;

/**
 * Seeded random runs of a cluster's workers, as the meter sees them: pod listings and {@code
 * /stats} samples, with the ground truth the test knows from generating them.
 *
 * <p>Pods start (some stay pending a while), serve requests, restart their runtime (its counters
 * start over and its container's start time moves on), finish and vanish. Every listing is true
 * at its time, each worker is sampled after serving and before it restarts or finishes, and a
 * restarted runtime is sampled before it serves again (it is loading its models). Under those
 * conditions nothing is lost between samples, so the meter must match the truth exactly.
 */
final class RandomUsageRun {

  static final int CASES = 200;

  private static final Instant EPOCH = Instant.parse("2026-01-01T00:00:00Z");
  private static final List<String> GPU_TYPES = List.of("nvidia-h100", "nvidia-a100", WorkerPod.UNKNOWN_GPU_TYPE);

  /** What the meter is fed, in order. */
  sealed interface Event {}

  record PodsSeen(Instant now, List<WorkerPod> pods, Map<PoolRef, PoolPrice> prices) implements Event {}

  record StatsSeen(String podUid, Map<String, Long> busyNanos) implements Event {}

  /** The events and what they add up to. */
  record Run(List<Event> events, Map<PoolGpuType, BigInteger> allocatedGpuNanos, Map<PoolModel, BigInteger> busyNanos) {}

  private record Pool(PoolRef ref, int gpus, List<String> models) {}

  private static final class Pod {
    final String uid;
    final Pool pool;
    final String gpuType;
    Instant firstStart;
    Instant reportedStart;
    Instant end;
    boolean ending;
    boolean loading;
    boolean listed = true;
    boolean seenEnded;
    final Map<String, Long> counters = new TreeMap<>();

    Pod(String uid, Pool pool, String gpuType, Instant start) {
      this.uid = uid;
      this.pool = pool;
      this.gpuType = gpuType;
      this.firstStart = start;
      this.reportedStart = start;
    }

    boolean running() {
      return firstStart != null && end == null;
    }

    WorkerPod observed() {
      return new WorkerPod(uid, pool.ref(), gpuType, pool.gpus(), reportedStart, end);
    }
  }

  private RandomUsageRun() {}

  static LongStream seeds() {
    return LongStream.range(0, CASES);
  }

  static void feed(UsageMeter meter, Event event) {
    switch (event) {
      case PodsSeen pods -> meter.observePods(pods.now(), pods.pods(), pods.prices());
      case StatsSeen stats -> meter.recordStats(stats.podUid(), stats.busyNanos());
    }
  }

  static Run generate(long seed) {
    Random random = new Random(seed);
    List<Pool> pools = new ArrayList<>();
    Map<PoolRef, PoolPrice> prices = new HashMap<>();
    for (int i = 0, count = 1 + random.nextInt(3); i < count; i++) {
      PoolRef ref = new PoolRef("team-" + random.nextInt(2), "pool-" + i);
      List<String> models = new ArrayList<>();
      for (int m = 0, modelCount = 1 + random.nextInt(3); m < modelCount; m++) {
        models.add("model-" + m);
      }
      pools.add(new Pool(ref, random.nextInt(9), models));
      prices.put(ref, randomPrice(random));
    }
    List<Event> events = new ArrayList<>();
    List<Pod> pods = new ArrayList<>();
    Map<PoolModel, BigInteger> busy = new HashMap<>();
    Instant now = EPOCH;
    for (int step = 0, steps = 10 + random.nextInt(40); step < steps; step++) {
      Instant previous = now;
      now = now.plusNanos(1 + random.nextLong(30_000_000_000L));
      for (Pod pod : pods) {
        if (pod.ending && pod.end == null) {
          pod.end = between(random, previous, now);
        } else if (pod.firstStart == null && pod.listed && random.nextInt(3) == 0) {
          pod.firstStart = pod.reportedStart = between(random, previous, now);
        }
      }
      for (int i = random.nextInt(3); i > 0; i--) {
        Pool pool = pools.get(random.nextInt(pools.size()));
        Instant start = random.nextInt(4) == 0 ? null : between(random, previous, now);
        pods.add(new Pod("uid-" + pods.size(), pool, GPU_TYPES.get(random.nextInt(GPU_TYPES.size())), start));
      }
      if (random.nextInt(20) == 0) {
        Pool pool = pools.get(random.nextInt(pools.size()));
        prices.put(pool.ref(), randomPrice(random));
      }
      for (Pod pod : pods) {
        if (pod.listed && pod.running() && !pod.ending && !pod.loading) {
          for (String model : pod.pool.models()) {
            if (random.nextBoolean()) {
              long increment = 1 + random.nextLong(2_000_000_000L);
              pod.counters.merge(model, increment, Long::sum);
              busy.merge(new PoolModel(pod.pool.ref(), model), BigInteger.valueOf(increment), BigInteger::add);
            }
          }
        }
      }
      List<Pod> listed = pods.stream().filter(pod -> pod.listed).toList();
      events.add(new PodsSeen(now, listed.stream().map(Pod::observed).toList(), Map.copyOf(prices)));
      List<Pod> scraped = new ArrayList<>(listed.stream().filter(Pod::running).toList());
      Collections.shuffle(scraped, random);
      for (Pod pod : scraped) {
        events.add(new StatsSeen(pod.uid, Map.copyOf(pod.counters)));
        pod.loading = false;
      }
      for (Pod pod : listed) {
        pod.seenEnded = pod.end != null;
        int roll = random.nextInt(20);
        if (pod.running() && !pod.ending && roll == 0) {
          pod.ending = true;
        } else if (pod.running() && !pod.ending && roll == 1) {
          pod.counters.clear();
          pod.loading = true;
          pod.reportedStart = now;
        } else if ((pod.seenEnded && roll < 7) || (pod.firstStart == null && roll == 2)) {
          pod.listed = false;
        }
      }
    }
    return new Run(events, allocatedTruth(pods, now), busy);
  }

  private static Map<PoolGpuType, BigInteger> allocatedTruth(List<Pod> pods, Instant last) {
    Map<PoolGpuType, BigInteger> allocated = new HashMap<>();
    for (Pod pod : pods) {
      if (pod.firstStart != null) {
        Instant end = pod.end == null ? last : pod.end;
        BigInteger gpuNanos = BigInteger.valueOf(Duration.between(pod.firstStart, end).toNanos()).multiply(BigInteger.valueOf(pod.pool.gpus()));
        allocated.merge(new PoolGpuType(pod.pool.ref(), pod.gpuType), gpuNanos, BigInteger::add);
      }
    }
    return allocated;
  }

  private static Instant between(Random random, Instant from, Instant to) {
    return from.plusNanos(random.nextLong(Duration.between(from, to).toNanos() + 1));
  }

  private static PoolPrice randomPrice(Random random) {
    return PoolPrice.of("0.000" + random.nextInt(1000), random.nextInt(5) == 0 ? "EUR" : "USD");
  }
}
