package dev.kiln.local.controlplane;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Kubernetes control plane on loopback: etcd and kube-apiserver (RBAC on, service-account
 * tokens signed), and on request kube-scheduler and kube-controller-manager. Every component
 * listens on 127.0.0.1 on a free port; data, certificates and logs live in one work directory.
 */
public final class ControlPlane implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ControlPlane.class);
  private static final Duration ETCD_START = Duration.ofSeconds(60);
  private static final Duration COMPONENT_START = Duration.ofSeconds(180);
  private static final int START_ATTEMPTS = 3;

  private final KubernetesBinaries binaries;
  private final Path workDirectory;
  private final List<String> moreApiServerFlags;
  private final ControlPlaneCredentials credentials;
  private final List<LocalProcess> processes = new ArrayList<>();
  private final String apiServerUrl;
  private final Path adminKubeconfig;
  private final Config adminConfig;
  private final KubernetesClient adminClient;
  private LocalProcess scheduler;
  private LocalProcess controllerManager;

  /** What becomes of the control plane's processes when the JVM exits without closing it. */
  public enum OnJvmExit {
    /** A shutdown hook stops them: for a JVM-wide control plane that nothing closes in order (the tests'). */
    STOP_PROCESSES,
    /** The owner closes it in order from its own shutdown hook, as the JVM's hooks run in no order. */
    OWNER_CLOSES
  }

  private ControlPlane(KubernetesBinaries binaries, Path workDirectory, OnJvmExit onJvmExit,
      List<String> moreApiServerFlags) {
    this.binaries = binaries;
    this.workDirectory = workDirectory;
    this.moreApiServerFlags = List.copyOf(moreApiServerFlags);
    this.credentials = ControlPlaneCredentials.create(workDirectory);
    if (onJvmExit == OnJvmExit.STOP_PROCESSES) {
      Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(this::stopProcesses));
    }
    try {
      int etcdPort = startEtcd();
      int apiServerPort = startApiServer(etcdPort);
      this.apiServerUrl = "https://127.0.0.1:" + apiServerPort;
      this.adminConfig = credentials.adminConfig(apiServerUrl);
      this.adminClient = newClient(adminConfig);
      awaitApiServerReady(processes.getLast());
      this.adminKubeconfig = credentials.writeAdminKubeconfig(apiServerUrl);
      LOG.info("control plane ready: {} (admin kubeconfig {}, logs in {})", apiServerUrl, adminKubeconfig,
          workDirectory.resolve("logs"));
    } catch (RuntimeException e) {
      stopProcesses();
      throw e;
    }
  }

  /** Starts etcd and kube-apiserver with their state under {@code workDirectory}, stopped when the JVM exits. */
  public static ControlPlane start(KubernetesBinaries binaries, Path workDirectory) {
    return start(binaries, workDirectory, OnJvmExit.STOP_PROCESSES);
  }

  /** Starts etcd and kube-apiserver with their state under {@code workDirectory}. */
  public static ControlPlane start(KubernetesBinaries binaries, Path workDirectory, OnJvmExit onJvmExit) {
    return start(binaries, workDirectory, onJvmExit, List.of());
  }

  /**
   * As {@link #start(KubernetesBinaries, Path, OnJvmExit)}, with {@code moreApiServerFlags} after
   * kube-apiserver's usual ones: an audit log for a benchmark that counts a client's requests, say.
   */
  public static ControlPlane start(KubernetesBinaries binaries, Path workDirectory, OnJvmExit onJvmExit,
      List<String> moreApiServerFlags) {
    try {
      Files.createDirectories(workDirectory);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    LOG.info("starting Kubernetes {} control plane from {} in {}", binaries.version(),
        binaries.directory(), workDirectory);
    return new ControlPlane(binaries, workDirectory, onJvmExit, moreApiServerFlags);
  }

  public String apiServerUrl() {
    return apiServerUrl;
  }

  public Path workDirectory() {
    return workDirectory;
  }

  public KubernetesBinaries binaries() {
    return binaries;
  }

  /** A client configuration authenticated as a cluster admin ({@code system:masters}). */
  public Config adminConfig() {
    return new ConfigBuilder(adminConfig).build();
  }

  /** A kubeconfig file for the admin, for kubectl. */
  public Path adminKubeconfig() {
    return adminKubeconfig;
  }

  /** The shared admin client; closed with the control plane. */
  public KubernetesClient adminClient() {
    return adminClient;
  }

  /**
   * A client configuration that impersonates a ServiceAccount: the API server authorizes each
   * request as {@code system:serviceaccount:<namespace>:<name>} with that account's groups.
   */
  public Config serviceAccountConfig(String namespace, String serviceAccount) {
    return new ConfigBuilder(adminConfig)
        .withImpersonateUsername("system:serviceaccount:" + namespace + ":" + serviceAccount)
        .withImpersonateGroups("system:serviceaccounts", "system:serviceaccounts:" + namespace,
            "system:authenticated")
        .build();
  }

  public static KubernetesClient newClient(Config config) {
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  /** Starts kube-scheduler unless it runs already. */
  public synchronized void startScheduler() {
    if (scheduler != null) {
      return;
    }
    Path kubeconfig = credentials.writeComponentKubeconfig("system:kube-scheduler", apiServerUrl);
    scheduler = startComponent("kube-scheduler", port -> ComponentFlags.kubeScheduler(
        binaries.kubeScheduler(), kubeconfig, workDirectory.resolve("kube-scheduler"), port));
  }

  /** Starts kube-controller-manager unless it runs already. */
  public synchronized void startControllerManager() {
    if (controllerManager != null) {
      return;
    }
    Path kubeconfig = credentials.writeComponentKubeconfig("system:kube-controller-manager", apiServerUrl);
    controllerManager = startComponent("kube-controller-manager", port -> ComponentFlags.kubeControllerManager(
        binaries.kubeControllerManager(), credentials, kubeconfig,
        workDirectory.resolve("kube-controller-manager"), port));
  }

  /** The last lines of every component's log, for a failing test to print. */
  public String diagnostics() {
    var out = new StringBuilder();
    synchronized (processes) {
      for (LocalProcess process : processes) {
        out.append("---- ").append(process.name()).append(process.isAlive() ? " (running)" : " (exited)")
            .append(", ").append(process.logFile()).append('\n').append(process.logTail(20)).append('\n');
      }
    }
    return out.toString();
  }

  @Override
  public void close() {
    if (adminClient != null) {
      adminClient.close();
    }
    stopProcesses();
    deleteRecursively(workDirectory.resolve("etcd-data"));
  }

  private int startEtcd() {
    Path dataDirectory = workDirectory.resolve("etcd-data");
    return startWithFreshPorts("etcd", clientPort -> {
      deleteRecursively(dataDirectory);
      var etcd = launch("etcd",
          ComponentFlags.etcd(binaries.etcd(), dataDirectory, clientPort, LoopbackPorts.free()));
      LoopbackHealth.await(etcd, ETCD_START, LoopbackHealth.httpOk("http://127.0.0.1:" + clientPort + "/health"));
      return etcd;
    }).port();
  }

  private int startApiServer(int etcdPort) {
    return startWithFreshPorts("kube-apiserver", port -> {
      var apiServer = launch("kube-apiserver", ComponentFlags.kubeApiserver(binaries.kubeApiserver(), credentials,
          workDirectory.resolve("kube-apiserver"), etcdPort, port, moreApiServerFlags));
      // Listening is enough here: readiness is checked with an authenticated client afterwards.
      LoopbackHealth.await(apiServer, COMPONENT_START, LoopbackHealth.listening(port));
      return apiServer;
    }).port();
  }

  private void awaitApiServerReady(LocalProcess apiServer) {
    LoopbackHealth.await(apiServer, COMPONENT_START, () -> {
      try {
        return "ok".equals(adminClient.raw("/readyz"));
      } catch (KubernetesClientException e) {
        return false;
      }
    });
  }

  private LocalProcess startComponent(String name, IntFunction<List<String>> command) {
    LocalProcess process = startWithFreshPorts(name, port -> {
      var component = launch(name, command.apply(port));
      LoopbackHealth.await(component, COMPONENT_START, LoopbackHealth.httpOk("https://127.0.0.1:" + port + "/healthz"));
      return component;
    }).process();
    LOG.info("{} ready", name);
    return process;
  }

  private record Started(LocalProcess process, int port) {}

  /**
   * Starts a component on a free port, retrying with another port when something else took the
   * chosen one between choosing it and binding it.
   */
  private Started startWithFreshPorts(String name, IntFunction<LocalProcess> startOnPort) {
    for (int attempt = 1; ; attempt++) {
      int port = LoopbackPorts.free();
      try {
        return new Started(startOnPort.apply(port), port);
      } catch (IllegalStateException e) {
        LocalProcess failed = processes.getLast();
        boolean portTaken = failed.logTail(40).contains("address already in use");
        if (!portTaken || attempt == START_ATTEMPTS) {
          throw e;
        }
        LOG.warn("{} lost port {} to another process; retrying on another port", name, port);
        synchronized (processes) {
          processes.remove(failed);
        }
        failed.close();
      }
    }
  }

  private LocalProcess launch(String name, List<String> command) {
    var process = LocalProcess.start(name, command, workDirectory.resolve("logs").resolve(name + ".log"));
    synchronized (processes) {
      processes.add(process);
    }
    return process;
  }

  private void stopProcesses() {
    List<LocalProcess> running;
    synchronized (processes) {
      running = new ArrayList<>(processes.reversed());
      processes.clear();
    }
    running.forEach(LocalProcess::close);
  }

  private static void deleteRecursively(Path directory) {
    if (!Files.exists(directory)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(directory)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
