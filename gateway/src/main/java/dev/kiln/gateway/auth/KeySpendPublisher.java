package dev.kiln.gateway.auth;

import dev.kiln.crds.apikey.ApiKey;
import dev.kiln.crds.apikey.ApiKeyStatus;
import dev.kiln.crds.apikey.CapPeriod;
import dev.kiln.crds.apikey.KeyState;
import dev.kiln.gateway.store.KeySpend;
import dev.kiln.gateway.store.UsageReport;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes every ApiKey's spend from the usage ledger, so that {@code kubectl get apikeys} and Prometheus show it:
 * the status ({@code spend}, {@code periodStart}, {@code requests}, {@code lastUsed}, {@code state} and a {@code
 * CapReached} condition for a capped key), patched when it changes, and the gauges {@code kiln_api_key_spend} and
 * {@code kiln_api_key_spend_cap}. The period is the cap's, a UTC month for a key without one. Every replica publishes
 * the same figures from the shared ledger; a patch that another replica already made changes nothing.
 */
public final class KeySpendPublisher implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(KeySpendPublisher.class);
  private static final String CAP_REACHED = "CapReached";

  private final KubernetesClient client;
  private final ApiKeyWatcher keys;
  private final UsageReport report;
  private final Clock clock;
  private final MultiGauge spendGauge;
  private final MultiGauge capGauge;
  private final ScheduledExecutorService ticker =
      Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("kiln-key-spend").daemon().factory());

  /** Starts publishing every {@code every}. */
  public KeySpendPublisher(KubernetesClient client, ApiKeyWatcher keys, UsageReport report, MeterRegistry metrics,
      Clock clock, Duration every) {
    this.client = client;
    this.keys = keys;
    this.report = report;
    this.clock = clock;
    this.spendGauge = MultiGauge.builder("kiln_api_key_spend")
        .description("What the key spent in its current period (its spend cap's, else the UTC month)")
        .register(metrics);
    this.capGauge = MultiGauge.builder("kiln_api_key_spend_cap")
        .description("The key's spend cap for its period").register(metrics);
    ticker.scheduleWithFixedDelay(this::publish, 0, every.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void publish() {
    try {
      Instant now = clock.instant();
      Map<String, KeySpend> spend = report.currentSpend(now);
      Map<String, String> unusable = keys.registry().unusableKeys();
      List<MultiGauge.Row<?>> spendRows = new ArrayList<>();
      List<MultiGauge.Row<?>> capRows = new ArrayList<>();
      for (ApiKey apiKey : keys.apiKeys()) {
        String id = apiKey.getMetadata().getNamespace() + "/" + apiKey.getMetadata().getName();
        Optional<SpendLimit> cap = SpendLimit.of(apiKey.getSpec().getSpendCap());
        CapPeriod period = cap.map(SpendLimit::period).orElse(CapPeriod.MONTH);
        KeySpend used = spend.getOrDefault(id, KeySpend.NONE);
        BigDecimal spent = period == CapPeriod.DAY ? used.today() : used.thisMonth();
        Tags tags = Tags.of("api_key", id, "period", period == CapPeriod.DAY ? "day" : "month");
        spendRows.add(MultiGauge.Row.of(tags, spent.doubleValue()));
        cap.ifPresent(limit -> capRows.add(MultiGauge.Row.of(tags, limit.amount().doubleValue())));
        ApiKeyStatus desired = status(apiKey, cap, period, used, spent, unusable.containsKey(id), now);
        if (!sameStatus(apiKey.getStatus(), desired)) {
          patch(apiKey, desired);
        }
      }
      spendGauge.register(spendRows, true);
      capGauge.register(capRows, true);
    } catch (RuntimeException e) {
      log.warn("cannot publish the keys' spend: {}", e.getMessage());
    }
  }

  private static ApiKeyStatus status(ApiKey apiKey, Optional<SpendLimit> cap, CapPeriod period, KeySpend used,
      BigDecimal spent, boolean unusable, Instant now) {
    boolean reached = cap.isPresent() && spent.compareTo(cap.get().amount()) >= 0;
    ApiKeyStatus status = new ApiKeyStatus();
    status.setSpend(spent.stripTrailingZeros().toPlainString());
    status.setPeriodStart(SpendLimit.periodStart(period, now).atStartOfDay().atOffset(ZoneOffset.UTC).toInstant()
        .toString());
    status.setRequests(period == CapPeriod.DAY ? used.requestsToday() : used.requestsThisMonth());
    status.setLastUsed(used.lastUsed().map(Instant::toString).orElse(null));
    status.setState(Boolean.TRUE.equals(apiKey.getSpec().getDisabled()) ? KeyState.DISABLED
        : unusable ? KeyState.INVALID : reached ? KeyState.CAP_REACHED : KeyState.ACTIVE);
    status.setObservedGeneration(apiKey.getMetadata().getGeneration());
    cap.ifPresent(limit -> status.setConditions(List.of(capCondition(apiKey.getStatus(), reached, limit, spent, now))));
    return status;
  }

  private static Condition capCondition(ApiKeyStatus current, boolean reached, SpendLimit limit, BigDecimal spent,
      Instant now) {
    String wanted = reached ? "True" : "False";
    String since = Optional.ofNullable(current).map(ApiKeyStatus::getConditions).orElse(List.of()).stream()
        .filter(condition -> condition.getType().equals(CAP_REACHED) && condition.getStatus().equals(wanted))
        .map(Condition::getLastTransitionTime).findFirst().orElse(now.toString());
    String period = limit.period() == CapPeriod.DAY ? "day" : "month";
    return new ConditionBuilder().withType(CAP_REACHED).withStatus(wanted)
        .withReason(reached ? "SpendCapReached" : "BelowSpendCap")
        .withMessage(reached
            ? "spent " + spent.stripTrailingZeros().toPlainString() + " of the cap of " + limit.amount().toPlainString()
                + " this " + period + " (UTC): new requests get 402 until the " + period + " ends or the cap is raised"
            : "spent " + spent.stripTrailingZeros().toPlainString() + " of " + limit.amount().toPlainString()
                + " this " + period + " (UTC)")
        .withLastTransitionTime(since).build();
  }

  private static boolean sameStatus(ApiKeyStatus current, ApiKeyStatus desired) {
    return current != null
        && Objects.equals(current.getSpend(), desired.getSpend())
        && Objects.equals(current.getPeriodStart(), desired.getPeriodStart())
        && Objects.equals(current.getRequests(), desired.getRequests())
        && Objects.equals(current.getLastUsed(), desired.getLastUsed())
        && current.getState() == desired.getState()
        && Objects.equals(current.getObservedGeneration(), desired.getObservedGeneration())
        && Objects.equals(current.getConditions(), desired.getConditions());
  }

  private void patch(ApiKey apiKey, ApiKeyStatus desired) {
    ApiKey patched = new ApiKey();
    patched.getMetadata().setNamespace(apiKey.getMetadata().getNamespace());
    patched.getMetadata().setName(apiKey.getMetadata().getName());
    patched.setStatus(desired);
    try {
      client.resources(ApiKey.class).inNamespace(apiKey.getMetadata().getNamespace()).resource(patched).patchStatus();
    } catch (KubernetesClientException e) {
      log.warn("cannot update the status of api key {}/{}: {}", apiKey.getMetadata().getNamespace(),
          apiKey.getMetadata().getName(), e.getMessage());
    }
  }

  @Override
  public void close() {
    ticker.shutdownNow();
  }
}
