package dev.kiln.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PostgresSpendLedgerIT extends SpendLedgerContract {

  private Database database;

  @BeforeEach
  void openDatabase() {
    database = Database.open(TestPostgres.freshDatabase());
  }

  @AfterEach
  void closeDatabase() {
    database.close();
  }

  @Override
  SpendLedger ledger() {
    return new PostgresSpendLedger(database, clock);
  }

  @Test
  void replicasReservingAtOnceAdmitNoMoreThanTheCapAllows() throws Exception {
    List<SpendLedger> replicas = List.of(ledger(), ledger());
    List<Future<Boolean>> admissions = new ArrayList<>();
    try (ExecutorService callers = Executors.newFixedThreadPool(8)) {
      for (int i = 0; i < 40; i++) {
        SpendLedger replica = replicas.get(i % 2);
        String id = "r-" + i;
        admissions.add(callers.submit(() ->
            replica.reserve(id, "team/key", ONE_A_DAY, new BigDecimal("0.1")) instanceof SpendCheck.Reserved));
      }
    }
    long admitted = 0;
    for (Future<Boolean> admission : admissions) {
      admitted += admission.get() ? 1 : 0;
    }

    assertThat(admitted).as("0.1 each below a cap of 1").isEqualTo(10);
  }

  @Test
  void theReservationsOfRunsWhoseReplicaStoppedAreFreedOnceOld() {
    PostgresSpendLedger ledger = new PostgresSpendLedger(database, clock);
    ledger.reserve("run-of-a-stopped-replica", "team/key", ONE_A_DAY, BigDecimal.ONE);
    assertThat(ledger.releaseAbandonedRuns(Duration.ofHours(1))).isZero();

    clock.advance(Duration.ofMinutes(61));

    assertThat(ledger.releaseAbandonedRuns(Duration.ofHours(1))).isEqualTo(1);
    assertThat(ledger.reserve("next", "team/key", ONE_A_DAY, BigDecimal.ONE)).isInstanceOf(SpendCheck.Reserved.class);
  }
}
