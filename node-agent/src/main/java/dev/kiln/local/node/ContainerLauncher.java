package dev.kiln.local.node;

import java.util.List;

/** Turns a container of a pod into the local command that plays it. */
@FunctionalInterface
public interface ContainerLauncher {

  List<String> command(ContainerLaunch launch);
}
