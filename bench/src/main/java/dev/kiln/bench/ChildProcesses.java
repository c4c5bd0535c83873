package dev.kiln.bench;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Stops whatever a benchmark started (a control plane, worker runtimes, nginx, Ray) when its JVM
 * is stopped early, e.g. by Ctrl-C, rather than leaving it running: the normal path closes each
 * part in order and leaves nothing for this to do.
 */
public final class ChildProcesses {

  private ChildProcesses() {}

  public static void stopAllOnJvmExit() {
    Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("stop-child-processes").unstarted(() -> {
      List<ProcessHandle> children = ProcessHandle.current().descendants().toList();
      children.forEach(ProcessHandle::destroy);
      for (ProcessHandle child : children) {
        try {
          child.onExit().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
          child.destroyForcibly();
        }
      }
    }));
  }
}
