package dev.kiln.local.node;

import dev.kiln.local.process.OwnSession;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Probe;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A container played by a local process: started with the container's environment in its own
 * working directory, probed for readiness and liveness, restarted per the pod's restartPolicy
 * when it exits, and stopped with SIGTERM then SIGKILL after the grace period.
 */
final class ProcessContainer implements ContainerHandle {

  private static final Logger LOG = LoggerFactory.getLogger(ProcessContainer.class);

  /** What the process needs to start. */
  record Launch(List<String> command, Map<String, String> environment, Path workingDirectory, Path logFile,
      String podIp) {}

  private final String podName;
  private final Container container;
  private final String restartPolicy;
  private final Launch launch;
  private final RestartBackoff backoff;
  private final Duration probePeriod;
  private final Runnable statusChanged;
  private final CountDownLatch stopRequested = new CountDownLatch(1);
  private Thread supervisor;

  // Guarded by this.
  private boolean stopping;
  private Process process;
  private Instant startedAt;
  private boolean ready;
  private int restartCount;
  private ContainerState lastTermination;
  private ContainerState finalTermination;
  private ContainerState waiting = ContainerStatuses.waiting("ContainerCreating", null);

  ProcessContainer(String podName, Container container, String restartPolicy, Launch launch, RestartBackoff backoff,
      Duration probePeriod, Runnable statusChanged) {
    this.podName = podName;
    this.container = container;
    this.restartPolicy = restartPolicy == null ? "Always" : restartPolicy;
    this.launch = launch;
    this.backoff = backoff;
    this.probePeriod = probePeriod;
    this.statusChanged = statusChanged;
  }

  @Override
  public void start() {
    supervisor = Thread.ofVirtual().name("kubelet " + podName + "/" + container.getName()).start(this::supervise);
  }

  @Override
  public synchronized ContainerStatus status() {
    var status = ContainerStatuses.base(container).withRestartCount(restartCount).withLastState(lastTermination);
    if (process != null) {
      return status.withContainerID(containerId(process)).withStarted(true).withReady(ready)
          .withState(ContainerStatuses.running(startedAt)).build();
    }
    return status.withState(finalTermination != null ? finalTermination : waiting).build();
  }

  @Override
  public synchronized Optional<ProcessHandle> process() {
    return Optional.ofNullable(process).map(Process::toHandle);
  }

  @Override
  public void stop(Duration gracePeriod) {
    Process running;
    synchronized (this) {
      stopping = true;
      running = process;
    }
    stopRequested.countDown();
    if (running != null) {
      terminate(running, gracePeriod);
    }
    if (supervisor != null) {
      try {
        supervisor.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void supervise() {
    Duration delay = null;
    while (true) {
      Process started;
      Instant startTime = Instant.now();
      synchronized (this) {
        if (stopping) {
          return;
        }
        started = startProcess();
        if (started != null) {
          process = started;
          startedAt = startTime;
          ready = container.getReadinessProbe() == null;
          waiting = null;
        }
      }
      statusChanged.run();
      int exitCode = started == null ? 128 : probeUntilExit(started);
      Instant finishedAt = Instant.now();
      boolean restart;
      synchronized (this) {
        ContainerState terminated = ContainerStatuses.terminated(
            started == null ? null : containerId(started), exitCode, startTime, finishedAt);
        process = null;
        ready = false;
        restart = !stopping && shouldRestart(exitCode);
        if (restart) {
          lastTermination = terminated;
        } else {
          finalTermination = terminated;
        }
        delay = backoff.next(delay, Duration.between(startTime, finishedAt));
        if (restart && !delay.isZero()) {
          waiting = ContainerStatuses.waiting("CrashLoopBackOff",
              "back-off %s restarting failed container %s".formatted(delay, container.getName()));
        }
      }
      if (started != null) {
        LOG.info("pod {} container {} exited with code {}{}", podName, container.getName(), exitCode,
            restart ? ", restarting in " + delay : "");
      }
      statusChanged.run();
      if (!restart || awaitStop(delay)) {
        return;
      }
      synchronized (this) {
        restartCount++;
      }
    }
  }

  /** Starts the process, or records why it could not start and returns null. Called holding the lock. */
  private Process startProcess() {
    try {
      Files.createDirectories(launch.workingDirectory());
      var builder = new ProcessBuilder(OwnSession.command(launch.command()))
          .directory(launch.workingDirectory().toFile())
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(launch.logFile().toFile()));
      builder.environment().clear();
      builder.environment().putAll(launch.environment());
      Process started = builder.start();
      LOG.info("pod {} container {} started: pid {} on {}", podName, container.getName(), started.pid(),
          launch.podIp());
      return started;
    } catch (IOException e) {
      waiting = ContainerStatuses.waiting("RunContainerError", e.getMessage());
      LOG.warn("pod {} container {} cannot start: {}", podName, container.getName(), e.getMessage());
      return null;
    }
  }

  /**
   * Runs the startup probe, then (once it passed) readiness and liveness probes, every probe period
   * until the process exits; returns its exit code.
   */
  private int probeUntilExit(Process running) {
    var startup = ProbeState.startup(container);
    var readiness = ProbeState.readiness(container);
    var liveness = ProbeState.liveness(container);
    for (ProbeState unsupported : List.of(startup, readiness, liveness)) {
      if (unsupported.unsupportedReason() != null) {
        LOG.warn("pod {} container {}: probe ignored, {}", podName, container.getName(), unsupported.unsupportedReason());
      }
    }
    try {
      while (!running.waitFor(probePeriod.toMillis(), TimeUnit.MILLISECONDS)) {
        if (!startup.passing()) {
          startup.probe(container, launch.podIp());
          if (startup.gaveUp()) {
            LOG.info("pod {} container {} failed its startup probe; restarting it", podName, container.getName());
            terminate(running, gracePeriod());
          }
          continue;
        }
        if (readiness.probe(container, launch.podIp()).changed()) {
          synchronized (this) {
            ready = readiness.passing();
          }
          statusChanged.run();
        }
        if (liveness.probe(container, launch.podIp()).changed() && !liveness.passing()) {
          LOG.info("pod {} container {} failed its liveness probe; restarting it", podName, container.getName());
          terminate(running, gracePeriod());
        }
      }
      return running.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running.destroyForcibly();
      return 137;
    }
  }

  private boolean shouldRestart(int exitCode) {
    return switch (restartPolicy) {
      case "Never" -> false;
      case "OnFailure" -> exitCode != 0;
      default -> true;
    };
  }

  /** Waits out the back-off; true when a stop was requested meanwhile. */
  private boolean awaitStop(Duration delay) {
    try {
      return stopRequested.await(delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return true;
    }
  }

  private Duration gracePeriod() {
    Probe liveness = container.getLivenessProbe();
    return liveness != null && liveness.getTerminationGracePeriodSeconds() != null
        ? Duration.ofSeconds(liveness.getTerminationGracePeriodSeconds())
        : Duration.ofSeconds(30);
  }

  private static void terminate(Process running, Duration gracePeriod) {
    running.descendants().forEach(ProcessHandle::destroy);
    running.destroy();
    try {
      if (!running.waitFor(gracePeriod.toMillis(), TimeUnit.MILLISECONDS)) {
        running.descendants().forEach(ProcessHandle::destroyForcibly);
        running.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      running.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private static String containerId(Process process) {
    return ContainerStatuses.ID_SCHEME + process.pid();
  }
}
