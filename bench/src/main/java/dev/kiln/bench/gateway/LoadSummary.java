package dev.kiln.bench.gateway;

/**
 * What one fixed-rate run of {@link OpenLoopLoad} measured, latencies counted from each request's
 * due time, in microseconds.
 *
 * @param requests requests sent
 * @param errors requests that failed or were answered with anything but 200
 */
public record LoadSummary(long requests, long errors, double p50Micros, double p99Micros) {}
