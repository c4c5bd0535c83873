package dev.kiln.local.node;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Probe;

/**
 * The outcome of one probe over time, with the probe's success and failure thresholds: passing
 * after {@code successThreshold} successes in a row, failing after {@code failureThreshold}
 * failures in a row. Readiness and startup probes start failing, a liveness probe passing; no
 * probe is always passing. A probe the node agent cannot run never changes state (a startup
 * probe it cannot run counts as passed, so the other probes still run).
 */
final class ProbeState {

  /** Whether the last probe flipped the state. */
  record Outcome(boolean changed) {}

  private final Probe probe;
  private final String unsupportedReason;
  private boolean passing;
  private int successes;
  private int failures;

  private ProbeState(Probe probe, Container container, boolean passingAtStart) {
    this.probe = probe;
    this.unsupportedReason = probe == null ? null : Prober.unsupportedReason(probe, container);
    this.passing = probe == null || passingAtStart;
  }

  /** Until it passes, the other probes do not run; failing {@code failureThreshold} times in a row kills the container. */
  static ProbeState startup(Container container) {
    Probe probe = container.getStartupProbe();
    boolean unsupported = probe != null && Prober.unsupportedReason(probe, container) != null;
    return new ProbeState(probe, container, unsupported);
  }

  static ProbeState readiness(Container container) {
    return new ProbeState(container.getReadinessProbe(), container, false);
  }

  static ProbeState liveness(Container container) {
    return new ProbeState(container.getLivenessProbe(), container, true);
  }

  /** Why the probe cannot run here, or null. */
  String unsupportedReason() {
    return unsupportedReason;
  }

  boolean passing() {
    return passing;
  }

  /** Never passed and failed {@code failureThreshold} times in a row: a startup probe that gave up. */
  boolean gaveUp() {
    return probe != null && !passing && failures >= threshold(probe.getFailureThreshold() == null ? 3 : probe.getFailureThreshold());
  }

  Outcome probe(Container container, String podIp) {
    if (probe == null || unsupportedReason != null) {
      return new Outcome(false);
    }
    return record(Prober.probe(probe, container, podIp));
  }

  Outcome record(boolean success) {
    if (success) {
      successes++;
      failures = 0;
    } else {
      failures++;
      successes = 0;
    }
    boolean before = passing;
    if (!passing && successes >= threshold(probe.getSuccessThreshold())) {
      passing = true;
    } else if (passing && failures >= threshold(probe.getFailureThreshold() == null ? 3 : probe.getFailureThreshold())) {
      passing = false;
    }
    return new Outcome(before != passing);
  }

  private static int threshold(Integer configured) {
    return configured == null || configured < 1 ? 1 : configured;
  }
}
