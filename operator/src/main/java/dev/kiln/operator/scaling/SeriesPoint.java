package dev.kiln.operator.scaling;

import java.time.Instant;

/**
 * One sample of a model summed over the workers and gateways that answered, with its counters
 * turned into increases since the previous sample.
 *
 * @param at when it was read
 * @param inFlight requests running or waiting for the model: those in flight on its workers (or,
 *     where more, those the gateways run on them) and those queued at the gateways
 * @param queued requests waiting for a batch on its workers or for a worker at the gateways
 * @param finishedIncrease requests finished since the previous sample
 * @param busyNanosIncrease execution time spent since the previous sample
 * @param arrivedIncrease requests submitted to the gateways since the previous sample
 */
record SeriesPoint(Instant at, int inFlight, int queued, long finishedIncrease, long busyNanosIncrease,
    long arrivedIncrease) {}
