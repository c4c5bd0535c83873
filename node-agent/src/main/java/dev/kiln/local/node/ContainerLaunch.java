package dev.kiln.local.node;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import java.nio.file.Path;
import java.util.List;

/**
 * What a launcher knows about the container it starts: the pod, the container spec, the pod's
 * loopback address, the container's arguments with {@code $(VAR)} references expanded, and its
 * private working directory.
 */
public record ContainerLaunch(Pod pod, Container container, String podIp, List<String> args,
    Path workingDirectory) {

  public ContainerLaunch {
    args = List.copyOf(args);
  }
}
