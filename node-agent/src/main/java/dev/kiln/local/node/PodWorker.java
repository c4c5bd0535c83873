package dev.kiln.local.node;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays one pod bound to a fake node: gives it a loopback address, runs its containers, reports
 * its status, and on deletion stops the containers within the grace period and removes the pod.
 */
final class PodWorker {

  private static final Logger LOG = LoggerFactory.getLogger(PodWorker.class);
  private static final long DEFAULT_GRACE_SECONDS = 30;

  private final NodeAgentSettings settings;
  private final String hostIp;
  private final String podIp;
  private final Instant startTime = Instant.now();
  private final Path podDirectory;
  private final Map<String, ContainerHandle> containers = new LinkedHashMap<>();
  private final AtomicBoolean terminating = new AtomicBoolean();
  private final AtomicBoolean addressReleased = new AtomicBoolean();
  private volatile Pod pod;
  private PodStatus lastPublished;

  PodWorker(Pod pod, String hostIp, NodeAgentSettings settings) {
    this.pod = pod;
    this.hostIp = hostIp;
    this.settings = settings;
    this.podIp = LoopbackAddresses.SHARED.allocatePodAddress();
    var metadata = pod.getMetadata();
    this.podDirectory = settings.podsDirectory()
        .resolve(metadata.getNamespace() + "_" + metadata.getName() + "_" + metadata.getUid());
  }

  String namespace() {
    return pod.getMetadata().getNamespace();
  }

  String name() {
    return pod.getMetadata().getName();
  }

  /** Creates and starts the containers; call once. */
  void start() {
    var environment = new ContainerEnvironment(settings.client());
    for (Container container : pod.getSpec().getContainers()) {
      containers.put(container.getName(), handleFor(container, environment));
    }
    publish();
    containers.values().forEach(ContainerHandle::start);
    publish();
  }

  /** Takes note of the pod's latest version; starts a graceful termination once it is being deleted. */
  void podUpdated(Pod updated) {
    this.pod = updated;
    if (updated.getMetadata().getDeletionTimestamp() != null) {
      terminate();
    } else {
      publish();
    }
  }

  /** The pod object is gone (deleted with no grace): stop the containers at once. */
  void forget() {
    terminating.set(true);
    Thread.ofVirtual().name("kubelet forget " + name()).start(() -> {
      containers.values().forEach(container -> container.stop(Duration.ofSeconds(2)));
      releaseAddress();
    });
  }

  /** Stops every container when the kubelet shuts down, leaving the pod object as it is. */
  void shutdown(Duration gracePeriod) {
    terminating.set(true);
    containers.values().parallelStream().forEach(container -> container.stop(gracePeriod));
    releaseAddress();
  }

  Optional<ProcessHandle> process(String container) {
    return Optional.ofNullable(containers.get(container)).flatMap(ContainerHandle::process);
  }

  private Path logFile(String container) {
    return podDirectory.resolve(container + ".log");
  }

  private void terminate() {
    if (!terminating.compareAndSet(false, true)) {
      return;
    }
    Thread.ofVirtual().name("kubelet terminate " + name()).start(() -> {
      Duration grace = gracePeriod();
      LOG.info("pod {}/{} is being deleted: stopping its containers (grace period {})", namespace(), name(), grace);
      containers.values().parallelStream().forEach(container -> container.stop(grace));
      publish(true);
      try {
        settings.client().pods().inNamespace(namespace()).withName(name()).withGracePeriod(0).delete();
      } catch (KubernetesClientException e) {
        LOG.warn("pod {}/{}: final delete failed: {}", namespace(), name(), e.getMessage());
      }
      releaseAddress();
    });
  }

  /** Once per pod: the address may have gone to another pod by the time a second release comes. */
  private void releaseAddress() {
    if (addressReleased.compareAndSet(false, true)) {
      LoopbackAddresses.SHARED.releasePodAddress(podIp);
    }
  }

  private Duration gracePeriod() {
    Long seconds = pod.getMetadata().getDeletionGracePeriodSeconds();
    if (seconds == null) {
      seconds = pod.getSpec().getTerminationGracePeriodSeconds();
    }
    return Duration.ofSeconds(seconds == null ? DEFAULT_GRACE_SECONDS : seconds);
  }

  private ContainerHandle handleFor(Container container, ContainerEnvironment environment) {
    if (pod.getSpec().getInitContainers() != null && !pod.getSpec().getInitContainers().isEmpty()) {
      return new UnstartableContainer(container, "CreateContainerConfigError",
          "init containers are not supported by the node agent");
    }
    Optional<ContainerLauncher> launcher = settings.images().launcherFor(container.getImage());
    if (launcher.isEmpty()) {
      return settings.unmappedImages() == UnmappedImages.RUN_STATUS_ONLY
          ? new StatusOnlyContainer(pod, container, podIp, settings.standIn())
          : new UnstartableContainer(container, "ErrImagePull", ("the node agent has no command for image %s: "
              + "map it with ContainerImages.map(...), or run the kubelet with UnmappedImages.RUN_STATUS_ONLY")
              .formatted(container.getImage()));
    }
    try {
      Map<String, String> containerEnv = environment.resolve(pod, container, podIp, hostIp);
      List<String> args = (container.getArgs() == null ? List.<String>of() : container.getArgs()).stream()
          .map(arg -> ContainerEnvironment.expand(arg, containerEnv))
          .toList();
      Path workingDirectory = podDirectory.resolve(container.getName());
      var launch = new ContainerLaunch(pod, container, podIp, args, workingDirectory);
      var processLaunch = new ProcessContainer.Launch(launcher.get().command(launch),
          processEnvironment(containerEnv, workingDirectory), workingDirectory, logFile(container.getName()), podIp);
      return new ProcessContainer(namespace() + "/" + name(), container, pod.getSpec().getRestartPolicy(),
          processLaunch, settings.restartBackoff(), settings.probePeriod(), this::publish);
    } catch (ContainerConfigException e) {
      return new UnstartableContainer(container, "CreateContainerConfigError", e.getMessage());
    }
  }

  /**
   * A container sees only its own environment. It runs on the host's network, so it must bind its
   * pod's address: that comes as {@code POD_IP}, the name the downward API conventionally gives it.
   */
  private Map<String, String> processEnvironment(Map<String, String> containerEnv, Path workingDirectory) {
    Map<String, String> env = new HashMap<>();
    env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    env.put("HOME", workingDirectory.toString());
    env.put("HOSTNAME", name());
    env.put("POD_IP", podIp);
    env.putAll(containerEnv);
    return env;
  }

  private void publish() {
    publish(false);
  }

  private synchronized void publish(boolean finalStatus) {
    if (terminating.get() && !finalStatus) {
      return;
    }
    List<ContainerStatus> statuses = containers.values().stream().map(ContainerHandle::status).toList();
    PodStatus status = PodStatusAssembler.assemble(pod, statuses, podIp, hostIp, startTime, Instant.now());
    if (status.equals(lastPublished)) {
      return;
    }
    var patch = new PodBuilder().withNewMetadata().withName(name()).withNamespace(namespace()).endMetadata()
        .withStatus(status).build();
    try {
      settings.client().pods().inNamespace(namespace()).withName(name()).subresource("status")
          .patch(PatchContext.of(PatchType.STRATEGIC_MERGE), patch);
      lastPublished = status;
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        LOG.warn("pod {}/{}: status update failed: {} (cause: {})", namespace(), name(), e.getMessage(),
            e.getCause() == null ? e.getStatus() : e.getCause().toString());
      }
    }
  }
}
