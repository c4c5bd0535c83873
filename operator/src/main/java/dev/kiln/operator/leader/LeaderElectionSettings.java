package dev.kiln.operator.leader;

import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import java.time.Duration;

/**
 * Leader election among operator replicas: the one that holds the Lease {@value #LEASE_NAME} in
 * {@code leaseNamespace} reconciles; the others keep their caches warm and wait for it.
 *
 * @param identity this replica's name in the Lease; unique among the replicas (the pod name)
 * @param leaseDuration how long a standby waits after the leader's last renewal before it takes over
 * @param renewDeadline how long the leader keeps trying to renew before it gives up
 * @param retryPeriod how often the replicas try to acquire or renew
 */
public record LeaderElectionSettings(
    String leaseNamespace, String identity, Duration leaseDuration, Duration renewDeadline, Duration retryPeriod) {

  public static final String LEASE_NAME = "kiln-operator";

  /** With the Java Operator SDK's timings (15 s lease, 10 s renew deadline, 2 s retry). */
  public LeaderElectionSettings(String leaseNamespace, String identity) {
    this(leaseNamespace, identity, LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
        LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE, LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE);
  }
}
