package dev.kiln.local.node;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kiln node agent plays the kubelet for fake GPU nodes, for {@code kiln dev} and the tests.
 * It registers the nodes (capacity, Ready, Lease heartbeats) and for every pod the real scheduler
 * binds to them runs each container as a local process on the pod's own loopback address,
 * reports the pod's status (IP, phase, container statuses, Ready from the readiness probe, which
 * like the liveness probe runs only once the startup probe has passed), restarts crashed
 * containers per restartPolicy, and on deletion sends SIGTERM and honours the grace period.
 *
 * <p>Not a kubelet: no images, volumes, cgroups or network namespaces; probes run every
 * {@code probePeriod} regardless of their periodSeconds and initialDelaySeconds, and crash
 * back-off is milliseconds, not seconds. Each test class should close its agent, because
 * the scheduler places any pod on any node it has registered.
 */
public final class NodeAgent implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(NodeAgent.class);
  private static final Set<String> TERMINAL_PHASES = Set.of("Succeeded", "Failed");

  private final NodeAgentSettings settings;
  private final NodeRegistration registration;
  private final List<SharedIndexInformer<Pod>> informers = new ArrayList<>();
  private final ConcurrentMap<String, PodWorker> workers = new ConcurrentHashMap<>();
  private volatile boolean closed;

  private NodeAgent(NodeAgentSettings settings, List<FakeNode> nodes) {
    this.settings = settings;
    this.registration = new NodeRegistration(settings.client(), nodes);
  }

  public static Builder builder(KubernetesClient client) {
    return new Builder(client);
  }

  /** The process playing a container, while it runs. */
  public Optional<ProcessHandle> process(String namespace, String pod, String container) {
    return worker(namespace, pod).flatMap(worker -> worker.process(container));
  }

  /** Everything the container's processes wrote, across restarts; still there after the pod is deleted. */
  public String logs(String namespace, String pod, String container) {
    String prefix = namespace + "_" + pod + "_";
    try (Stream<Path> podDirectories = Files.list(settings.podsDirectory())) {
      Path logFile = podDirectories
          .filter(directory -> directory.getFileName().toString().startsWith(prefix))
          .map(directory -> directory.resolve(container + ".log"))
          .filter(Files::exists)
          .max(Comparator.comparing(NodeAgent::lastModified))
          .orElseThrow(() -> new IllegalArgumentException(
              "container " + container + " of pod " + namespace + "/" + pod + " never ran on this node agent"));
      return Files.readString(logFile, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static FileTime lastModified(Path file) {
    try {
      return Files.getLastModifiedTime(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Stops watching, stops every container (SIGTERM, 5 s grace) and removes the fake nodes. */
  @Override
  public void close() {
    closed = true;
    // Workers first: once shut down they publish nothing, so closing the informers interrupts no status write.
    workers.values().parallelStream().forEach(worker -> worker.shutdown(Duration.ofSeconds(5)));
    workers.clear();
    informers.forEach(SharedIndexInformer::close);
    registration.close();
  }

  private NodeAgent start(List<FakeNode> nodes) {
    registration.register();
    for (FakeNode node : nodes) {
      informers.add(settings.client().pods().inAnyNamespace()
          .withField("spec.nodeName", node.name())
          .inform(new PodEvents(node.name()), 0));
    }
    LOG.info("node agent running {} node(s), pods in {}", nodes.size(), settings.podsDirectory());
    return this;
  }

  private Optional<PodWorker> worker(String namespace, String pod) {
    return workers.values().stream()
        .filter(worker -> worker.namespace().equals(namespace) && worker.name().equals(pod))
        .findFirst();
  }

  private final class PodEvents implements ResourceEventHandler<Pod> {

    private final String nodeName;

    PodEvents(String nodeName) {
      this.nodeName = nodeName;
    }

    @Override
    public void onAdd(Pod pod) {
      changed(pod);
    }

    @Override
    public void onUpdate(Pod previous, Pod pod) {
      changed(pod);
    }

    @Override
    public void onDelete(Pod pod, boolean finalStateUnknown) {
      PodWorker worker = workers.remove(pod.getMetadata().getUid());
      if (worker != null) {
        worker.forget();
      }
    }

    private void changed(Pod pod) {
      if (closed) {
        return;
      }
      String uid = pod.getMetadata().getUid();
      PodWorker existing = workers.get(uid);
      if (existing != null) {
        existing.podUpdated(pod);
        return;
      }
      boolean finished = pod.getStatus() != null && TERMINAL_PHASES.contains(pod.getStatus().getPhase());
      if (finished) {
        return;
      }
      var worker = new PodWorker(pod, registration.address(nodeName), settings);
      workers.put(uid, worker);
      try {
        worker.start();
        if (pod.getMetadata().getDeletionTimestamp() != null) {
          worker.podUpdated(pod);
        }
      } catch (RuntimeException e) {
        LOG.error("pod {}/{} could not be started by the node agent", worker.namespace(), worker.name(), e);
      }
    }
  }

  public static final class Builder {

    private final KubernetesClient client;
    private final List<FakeNode> nodes = new ArrayList<>();
    private ContainerImages images = ContainerImages.none();
    private UnmappedImages unmappedImages = UnmappedImages.FAIL_PULL;
    private StatusOnlyStandIn standIn = StatusOnlyStandIn.NONE;
    private Duration probePeriod = Duration.ofMillis(200);
    private RestartBackoff restartBackoff = RestartBackoff.DEFAULT;
    private Path workDirectory;

    private Builder(KubernetesClient client) {
      this.client = client;
    }

    public Builder node(FakeNode node) {
      nodes.add(node);
      return this;
    }

    public Builder images(ContainerImages images) {
      this.images = images;
      return this;
    }

    /** What to do with images that have no command; {@link UnmappedImages#FAIL_PULL} unless set. */
    public Builder unmappedImages(UnmappedImages policy) {
      this.unmappedImages = policy;
      return this;
    }

    /** What answers on the address of each status-only container ({@link UnmappedImages#RUN_STATUS_ONLY}); nothing unless set. */
    public Builder statusOnlyStandIn(StatusOnlyStandIn standIn) {
      this.standIn = standIn;
      return this;
    }

    public Builder probePeriod(Duration period) {
      this.probePeriod = period;
      return this;
    }

    public Builder restartBackoff(Duration initial, Duration max) {
      this.restartBackoff = new RestartBackoff(initial, max);
      return this;
    }

    /** Where pod working directories and logs go; a new temporary directory unless set. */
    public Builder workDirectory(Path directory) {
      this.workDirectory = directory;
      return this;
    }

    /** Registers the nodes and starts serving their pods. */
    public NodeAgent start() {
      if (nodes.isEmpty()) {
        throw new IllegalStateException("a node agent needs at least one node: call node(FakeNode.gpu(...))");
      }
      try {
        Path directory = workDirectory != null ? workDirectory : Files.createTempDirectory("kiln-node-agent-");
        var settings = new NodeAgentSettings(client, images, unmappedImages, standIn, probePeriod, restartBackoff,
            directory.resolve("pods"));
        return new NodeAgent(settings, nodes).start(nodes);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
