package dev.kiln.operator.usage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Everything a {@link UsageMeter} has counted, in a form that can be stored (in a ConfigMap's data
 * or a status field) and restored after the operator restarts or another replica takes over.
 *
 * <p>Besides the totals it holds what makes replaying safe: the live pods' spans, so a pod is
 * recomputed rather than added again, and each worker's last counter values, so a sample seen
 * before the checkpoint adds nothing. Usage between the last stored checkpoint and a crash is
 * either recounted from pod status and cumulative counters or, for pods gone meanwhile, lost:
 * never counted twice.
 *
 * @param version the format, {@value #VERSION}
 * @param pods spans of the pods listed at the last observation
 * @param retiredGpuNanos GPU-nanoseconds of pods no longer listed
 * @param allocatedGpuNanos exported allocated GPU-nanoseconds (a running maximum)
 * @param counters last busy-nanosecond counters per live worker pod UID and model
 * @param busyNanos busy nanoseconds per pool and model
 * @param busyGpuNanos busy GPU-nanoseconds per pool
 * @param idleGpuNanos exported idle GPU-nanoseconds per pool (a running maximum)
 * @param cost cost per pool and currency
 */
public record UsageCheckpoint(
    int version,
    List<PodSpan> pods,
    List<Total<PoolGpuType, BigInteger>> retiredGpuNanos,
    List<Total<PoolGpuType, BigInteger>> allocatedGpuNanos,
    Map<String, Map<String, Long>> counters,
    List<Total<PoolModel, BigInteger>> busyNanos,
    List<Total<PoolRef, BigInteger>> busyGpuNanos,
    List<Total<PoolRef, BigInteger>> idleGpuNanos,
    List<Total<PoolCurrency, BigDecimal>> cost) {

  public static final int VERSION = 1;

  /** The key of the JSON document in {@link #toData()}. */
  public static final String DATA_KEY = "usage.json";

  static final UsageCheckpoint EMPTY = of(Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), Map.of());

  private static final JsonMapper JSON = JsonMapper.builder()
      .addModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .build();

  /** One total of a map whose keys are records; JSON object keys can only be strings. */
  public record Total<K, V>(K key, V value) {}

  public UsageCheckpoint {
    if (version != VERSION) {
      throw new IllegalArgumentException("usage checkpoint version " + version + ", expected " + VERSION);
    }
    pods = List.copyOf(pods);
    retiredGpuNanos = List.copyOf(retiredGpuNanos);
    allocatedGpuNanos = List.copyOf(allocatedGpuNanos);
    counters = Map.copyOf(counters);
    busyNanos = List.copyOf(busyNanos);
    busyGpuNanos = List.copyOf(busyGpuNanos);
    idleGpuNanos = List.copyOf(idleGpuNanos);
    cost = List.copyOf(cost);
  }

  static UsageCheckpoint of(
      Map<String, PodSpan> pods,
      Map<PoolGpuType, BigInteger> retiredGpuNanos,
      Map<PoolGpuType, BigInteger> allocatedGpuNanos,
      Map<String, Map<String, Long>> counters,
      Map<PoolModel, BigInteger> busyNanos,
      Map<PoolRef, BigInteger> busyGpuNanos,
      Map<PoolRef, BigInteger> idleGpuNanos,
      Map<PoolCurrency, BigDecimal> cost) {
    return new UsageCheckpoint(
        VERSION,
        pods.values().stream().sorted(Comparator.comparing(PodSpan::uid)).toList(),
        totals(retiredGpuNanos),
        totals(allocatedGpuNanos),
        counters,
        totals(busyNanos),
        totals(busyGpuNanos),
        totals(idleGpuNanos),
        totals(cost));
  }

  /** This checkpoint as string data, e.g. a ConfigMap's: one JSON document under {@link #DATA_KEY}. */
  public Map<String, String> toData() {
    try {
      return Map.of(DATA_KEY, JSON.writeValueAsString(this));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the usage checkpoint", e);
    }
  }

  /** The checkpoint that {@link #toData()} wrote; an empty one where the data holds none. */
  public static UsageCheckpoint fromData(Map<String, String> data) {
    String json = data == null ? null : data.get(DATA_KEY);
    if (json == null) {
      return EMPTY;
    }
    try {
      return JSON.readValue(json, UsageCheckpoint.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("unreadable usage checkpoint: " + e.getOriginalMessage(), e);
    }
  }

  Map<String, PodSpan> livePods() {
    return pods.stream().collect(Collectors.toMap(PodSpan::uid, Function.identity()));
  }

  Map<PoolGpuType, BigInteger> retiredGpuNanosByKey() {
    return byKey(retiredGpuNanos);
  }

  Map<PoolGpuType, BigInteger> allocatedGpuNanosByKey() {
    return byKey(allocatedGpuNanos);
  }

  Map<PoolModel, BigInteger> busyNanosByKey() {
    return byKey(busyNanos);
  }

  Map<PoolRef, BigInteger> busyGpuNanosByPool() {
    return byKey(busyGpuNanos);
  }

  Map<PoolRef, BigInteger> idleGpuNanosByPool() {
    return byKey(idleGpuNanos);
  }

  Map<PoolCurrency, BigDecimal> costByKey() {
    return byKey(cost);
  }

  private static <K, V> List<Total<K, V>> totals(Map<K, V> map) {
    return map.entrySet().stream()
        .map(entry -> new Total<>(entry.getKey(), entry.getValue()))
        .sorted(Comparator.comparing(Object::toString))
        .toList();
  }

  private static <K, V> Map<K, V> byKey(List<Total<K, V>> totals) {
    return totals.stream().collect(Collectors.toMap(Total::key, Total::value));
  }
}
