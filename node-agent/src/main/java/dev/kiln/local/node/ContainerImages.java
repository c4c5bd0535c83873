package dev.kiln.local.node;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** The mapping from container image to the local command that plays it. Matches images exactly. */
public final class ContainerImages {

  private final Map<String, ContainerLauncher> launchers;

  private ContainerImages(Map<String, ContainerLauncher> launchers) {
    this.launchers = Map.copyOf(launchers);
  }

  public static ContainerImages none() {
    return new ContainerImages(Map.of());
  }

  public ContainerImages map(String image, ContainerLauncher launcher) {
    var merged = new HashMap<>(launchers);
    merged.put(image, launcher);
    return new ContainerImages(merged);
  }

  Optional<ContainerLauncher> launcherFor(String image) {
    return Optional.ofNullable(launchers.get(image));
  }
}
