package dev.kiln.operator.leader;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This replica's part in leader election. The Java Operator SDK (5.2) cancels its elector on stop
 * without releasing the Lease and reports that as lost leadership, which it would answer with
 * {@code System.exit(1)}; so the SDK is told not to exit, and this class tells a requested stop
 * (nothing to do, then {@link #release}) from a lease lost while running ({@code onLost}).
 * Exports {@code kiln_operator_leader}: 1 while this replica holds the lease, else 0.
 */
public final class Leadership implements MeterBinder {

  private static final Logger LOG = LoggerFactory.getLogger(Leadership.class);

  private final LeaderElectionSettings settings;
  private final Runnable onLost;
  private final AtomicBoolean stopping = new AtomicBoolean();
  private volatile boolean leading;

  /** @param onLost runs when the lease is lost while the operator is not stopping (another replica may be reconciling) */
  public Leadership(LeaderElectionSettings settings, Runnable onLost) {
    this.settings = settings;
    this.onLost = onLost;
  }

  public LeaderElectionConfiguration configuration() {
    return LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(LeaderElectionSettings.LEASE_NAME)
        .withLeaseNamespace(settings.leaseNamespace())
        .withIdentity(settings.identity())
        .withLeaseDuration(settings.leaseDuration())
        .withRenewDeadline(settings.renewDeadline())
        .withRetryPeriod(settings.retryPeriod())
        .withLeaderCallbacks(new LeaderCallbacks(this::startedLeading, this::stoppedLeading, this::newLeader))
        .withExitOnStopLeading(false)
        .build();
  }

  public boolean leading() {
    return leading;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Gauge.builder("kiln.operator.leader", this, l -> l.leading() ? 1 : 0)
        .description("1 while this replica holds the operator's lease and reconciles, else 0")
        .register(registry);
  }

  /** Call before stopping the operator: losing the lease from then on is expected. */
  public void stopping() {
    stopping.set(true);
  }

  /**
   * Gives the lease up if this replica still holds it, so that a standby takes over at its next
   * retry rather than when the lease expires. Call once the operator has stopped reconciling.
   */
  public void release(KubernetesClient client) {
    String lease = settings.leaseNamespace() + "/" + LeaderElectionSettings.LEASE_NAME;
    try {
      Lease current = client.resources(Lease.class).inNamespace(settings.leaseNamespace())
          .withName(LeaderElectionSettings.LEASE_NAME).get();
      if (current == null || !settings.identity().equals(current.getSpec().getHolderIdentity())) {
        return;
      }
      current.getSpec().setHolderIdentity(null);
      current.getSpec().setLeaseDurationSeconds(1);
      // Replaces the version just read: if another replica took the lease meanwhile, this fails and changes nothing.
      client.resource(current).update();
      LOG.info("lease.released lease={} identity={}", lease, settings.identity());
    } catch (KubernetesClientException e) {
      LOG.warn("lease.release_failed lease={} identity={} code={} error=\"{}\" (a standby takes over when it expires)",
          lease, settings.identity(), e.getCode(), e.getMessage());
    }
  }

  private void startedLeading() {
    leading = true;
    LOG.info("leader.started identity={}", settings.identity());
  }

  private void stoppedLeading() {
    leading = false;
    if (stopping.get()) {
      LOG.info("leader.stopped identity={} reason=shutdown", settings.identity());
    } else {
      LOG.error("leader.lost identity={} reason=lease_not_renewed", settings.identity());
      onLost.run();
    }
  }

  private void newLeader(String identity) {
    LOG.info("leader.observed leader={} identity={}", identity, settings.identity());
  }
}
