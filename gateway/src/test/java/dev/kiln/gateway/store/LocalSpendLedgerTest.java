package dev.kiln.gateway.store;

class LocalSpendLedgerTest extends SpendLedgerContract {

  @Override
  SpendLedger ledger() {
    return new LocalSpendLedger(clock);
  }
}
