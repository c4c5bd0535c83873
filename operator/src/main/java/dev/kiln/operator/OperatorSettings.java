package dev.kiln.operator;

import dev.kiln.operator.leader.LeaderElectionSettings;
import dev.kiln.operator.pool.DrainSettings;
import dev.kiln.operator.scaling.ScalingSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The operator's settings, from its environment:
 * <ul>
 *   <li>{@code KILN_WATCH_NAMESPACES}: comma-separated namespaces to reconcile; every namespace when unset or empty</li>
 *   <li>{@code KILN_RUNTIME_IMAGE}: the worker runtime image for pools that name none (required)</li>
 *   <li>{@code KILN_OPERATOR_HTTP_PORT}: the port of {@code /metrics}, {@code /healthz} and {@code /readyz}; 8080 by default, 0 for any free one</li>
 *   <li>{@code KILN_LEADER_ELECTION}: {@code true} or {@code false}; by default on in a cluster (where
 *       {@code KUBERNETES_SERVICE_HOST} is set) and off outside one</li>
 *   <li>{@code KILN_OPERATOR_NAMESPACE}: the Lease's namespace; the pod's own namespace by default</li>
 *   <li>{@code POD_NAME}: this replica's identity in the Lease; the host name (in a pod, its name) by default</li>
 *   <li>{@code KILN_AUTOSCALER_*}: the autoscaler's windows and delays ({@link ScalingSettings#fromEnvironment})</li>
 *   <li>{@code KILN_DRAIN_TIMEOUT}, {@code KILN_DRAIN_POLL}: how a removed worker is drained ({@link DrainSettings#fromEnvironment})</li>
 * </ul>
 *
 * @param namespaces the namespaces to watch; empty for all
 * @param leaderElection empty to reconcile without electing a leader (a single replica)
 * @param autoscaler how the Model reconciler samples and scales
 * @param drain how the pool reconciler drains the workers it removes
 */
public record OperatorSettings(Set<String> namespaces, String runtimeImage, int httpPort,
    Optional<LeaderElectionSettings> leaderElection, ScalingSettings autoscaler, DrainSettings drain) {

  /** Where Kubernetes puts the pod's namespace. */
  public static final Path POD_NAMESPACE_FILE = Path.of("/var/run/secrets/kubernetes.io/serviceaccount/namespace");

  public OperatorSettings {
    namespaces = Set.copyOf(namespaces);
    Objects.requireNonNull(autoscaler, "autoscaler");
    Objects.requireNonNull(drain, "drain");
    if (httpPort < 0 || httpPort > 65535) {
      throw new IllegalArgumentException("KILN_OPERATOR_HTTP_PORT must be a port from 0 to 65535, got " + httpPort);
    }
  }

  /** For embedding and tests: a single replica, its HTTP endpoints on any free port. */
  public OperatorSettings(Set<String> namespaces, String runtimeImage) {
    this(namespaces, runtimeImage, 0, Optional.empty(), ScalingSettings.defaults(), DrainSettings.defaults());
  }

  public OperatorSettings withLeaderElection(LeaderElectionSettings election) {
    return new OperatorSettings(namespaces, runtimeImage, httpPort, Optional.of(election), autoscaler, drain);
  }

  public static OperatorSettings fromEnvironment(Map<String, String> env) {
    return fromEnvironment(env, POD_NAMESPACE_FILE);
  }

  static OperatorSettings fromEnvironment(Map<String, String> env, Path podNamespaceFile) {
    String image = value(env, "KILN_RUNTIME_IMAGE").orElseThrow(() -> new IllegalArgumentException(
        "KILN_RUNTIME_IMAGE is not set: set it to the Kiln runtime image, e.g. ghcr.io/kiln-dev/kiln-runtime:0.1.0"));
    Set<String> namespaces = Arrays.stream(env.getOrDefault("KILN_WATCH_NAMESPACES", "").split(","))
        .map(String::trim)
        .filter(ns -> !ns.isEmpty())
        .collect(Collectors.toUnmodifiableSet());
    Optional<LeaderElectionSettings> election = leaderElection(env)
        ? Optional.of(new LeaderElectionSettings(leaseNamespace(env, podNamespaceFile), identity(env)))
        : Optional.empty();
    return new OperatorSettings(namespaces, image, httpPort(env), election, ScalingSettings.fromEnvironment(env),
        DrainSettings.fromEnvironment(env));
  }

  private static int httpPort(Map<String, String> env) {
    String port = value(env, "KILN_OPERATOR_HTTP_PORT").orElse("8080");
    try {
      return Integer.parseInt(port);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("KILN_OPERATOR_HTTP_PORT must be a port from 0 to 65535, got '" + port + "'");
    }
  }

  private static boolean leaderElection(Map<String, String> env) {
    return switch (value(env, "KILN_LEADER_ELECTION").map(String::toLowerCase).orElse("")) {
      case "" -> value(env, "KUBERNETES_SERVICE_HOST").isPresent();
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException(
          "KILN_LEADER_ELECTION must be true or false, got '" + env.get("KILN_LEADER_ELECTION") + "'");
    };
  }

  private static String leaseNamespace(Map<String, String> env, Path podNamespaceFile) {
    return value(env, "KILN_OPERATOR_NAMESPACE").or(() -> read(podNamespaceFile)).orElseThrow(() ->
        new IllegalArgumentException("leader election needs a namespace for its Lease: set KILN_OPERATOR_NAMESPACE"
            + " (in a pod it is read from " + podNamespaceFile + "), or set KILN_LEADER_ELECTION=false"));
  }

  private static String identity(Map<String, String> env) {
    return value(env, "POD_NAME").or(() -> value(env, "HOSTNAME")).orElseGet(() -> {
      try {
        return InetAddress.getLocalHost().getHostName();
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException("leader election needs this replica's identity: set POD_NAME", e);
      }
    });
  }

  private static Optional<String> read(Path file) {
    try {
      return Optional.of(Files.readString(file).trim()).filter(s -> !s.isEmpty());
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private static Optional<String> value(Map<String, String> env, String name) {
    return Optional.ofNullable(env.get(name)).map(String::trim).filter(s -> !s.isEmpty());
  }
}
