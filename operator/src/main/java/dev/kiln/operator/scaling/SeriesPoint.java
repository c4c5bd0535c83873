package dev.kiln.operator.scaling;

import java.time.Instant;

/**
 * One sample of a model summed over the workers that answered, with its counters turned into
 * increases since the previous sample.
 *
 * @param at when it was read
 * @param inFlight requests in flight on those workers
 * @param queued requests waiting for a batch on those workers
 * @param finishedIncrease requests finished since the previous sample
 * @param busyNanosIncrease execution time spent since the previous sample
 */
record SeriesPoint(Instant at, int inFlight, int queued, long finishedIncrease, long busyNanosIncrease) {}
