package dev.kiln.e2e;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A cluster with Kiln installed, as the scenarios need it, whatever runs it: the local control plane with Kiln's
 * operator and gateway as local processes, or Kind with the chart installed.
 */
interface KilnCluster extends AutoCloseable {

  /** Which provider this is, for messages. */
  String provider();

  KubernetesClient admin();

  /** Where the scenarios put their pools, models and keys. */
  String namespace();

  /** The gateway's run and queue listeners. */
  URI gatewayRun();

  URI gatewayQueue();

  /** Every gateway replica's ops listener ({@code /metrics}): each counts what it served. */
  List<URI> gatewayOps();

  /** Applies every resource in {@code manifest} in {@link #namespace()}, as {@code kubectl apply -f} would. */
  void apply(Path manifest);

  /** Removes Kiln as its installer would: {@code helm uninstall}, or stopping the local processes; then its CRDs. */
  void uninstall(Duration timeout);

  @Override
  void close() throws Exception;
}
