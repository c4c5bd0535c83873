package dev.kiln.gateway.store;

import java.math.BigDecimal;

/** Whether a request was admitted against its key's spend cap. */
public sealed interface SpendCheck {

  /** Admitted: its expected cost is reserved until it completes. */
  record Reserved() implements SpendCheck {}

  /**
   * Refused: the key's spend in the period, with what its requests in flight are expected to cost, has reached the cap.
   *
   * @param committed what completed requests cost in the period
   * @param reserved what requests in flight are expected to cost
   */
  record CapReached(BigDecimal committed, BigDecimal reserved) implements SpendCheck {}
}
