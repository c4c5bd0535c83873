package dev.kiln.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.crds.apikey.CapPeriod;
import dev.kiln.gateway.auth.SpendLimit;
import dev.kiln.testing.time.ManualClock;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What every {@link SpendLedger} does, in memory or in PostgreSQL. */
abstract class SpendLedgerContract {

  static final SpendLimit ONE_A_DAY = new SpendLimit(BigDecimal.ONE, CapPeriod.DAY);
  static final SpendLimit ONE_A_MONTH = new SpendLimit(BigDecimal.ONE, CapPeriod.MONTH);

  final ManualClock clock = new ManualClock(Instant.parse("2026-11-25T23:00:00Z"));

  abstract SpendLedger ledger();

  @Test
  void requestsAreAdmittedWhileSpendAndWhatIsInFlightStayBelowTheCap() {
    SpendLedger ledger = ledger();

    assertThat(ledger.reserve("r-1", "team/key", ONE_A_DAY, new BigDecimal("0.6"))).isInstanceOf(SpendCheck.Reserved.class);
    assertThat(ledger.reserve("r-2", "team/key", ONE_A_DAY, new BigDecimal("0.6"))).isInstanceOf(SpendCheck.Reserved.class);
    assertThat(ledger.reserve("r-3", "team/key", ONE_A_DAY, new BigDecimal("0.6")))
        .isEqualTo(new SpendCheck.CapReached(BigDecimal.ZERO, new BigDecimal("1.2")));
    assertThat(ledger.reserve("other", "team/other", ONE_A_DAY, new BigDecimal("0.6")))
        .as("another key's cap is its own").isInstanceOf(SpendCheck.Reserved.class);
  }

  @Test
  void aSettledRequestCountsWhatItCostAndAReleasedOneNothing() {
    SpendLedger ledger = ledger();
    ledger.reserve("r-1", "team/key", ONE_A_DAY, new BigDecimal("0.6"));
    ledger.reserve("r-2", "team/key", ONE_A_DAY, new BigDecimal("0.6"));

    ledger.settle(usage("r-1", Duration.ofMillis(300), "1"));
    ledger.release("r-2");

    assertThat(ledger.spent("team/key", ONE_A_DAY, clock.instant())).isEqualByComparingTo("0.3");
    assertThat(ledger.reserve("r-3", "team/key", ONE_A_DAY, new BigDecimal("0.6"))).isInstanceOf(SpendCheck.Reserved.class);
    ledger.settle(usage("r-3", Duration.ofMillis(800), "1"));
    assertThat(ledger.reserve("r-4", "team/key", ONE_A_DAY, new BigDecimal("0.1")))
        .isEqualTo(new SpendCheck.CapReached(new BigDecimal("1.100000000"), BigDecimal.ZERO));
  }

  @Test
  void aDailyCapStartsAgainAtMidnightAndAMonthlyOneAtTheFirst() {
    SpendLedger ledger = ledger();
    ledger.settle(usage("r-1", Duration.ofSeconds(2), "1"));
    assertThat(ledger.reserve("r-2", "team/key", ONE_A_DAY, BigDecimal.ONE)).isInstanceOf(SpendCheck.CapReached.class);

    clock.advance(Duration.ofHours(1));

    assertThat(ledger.reserve("r-3", "team/key", ONE_A_DAY, BigDecimal.ONE)).isInstanceOf(SpendCheck.Reserved.class);
    assertThat(ledger.spent("team/key", ONE_A_MONTH, clock.instant())).as("the same month").isEqualByComparingTo("2");
    clock.advance(Duration.ofDays(6));
    assertThat(ledger.spent("team/key", ONE_A_MONTH, clock.instant())).as("December").isEqualByComparingTo("0");
  }

  private Usage usage(String requestId, Duration compute, String price) {
    return new Usage(requestId, "team/key", "team/echo", compute, new BigDecimal(price), clock.instant());
  }
}
