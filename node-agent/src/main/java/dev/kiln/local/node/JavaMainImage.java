package dev.kiln.local.node;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Plays an image with a Java main class from the test classpath, run in a JVM of its own with
 * the container's {@code args} as program arguments (the image's entrypoint is the main class, so
 * the container's {@code command} is not used).
 */
public final class JavaMainImage implements ContainerLauncher {

  // Small, fast-starting JVMs: a test may run dozens of pods on two cores.
  private static final List<String> JVM_OPTIONS =
      List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k", "-XX:MaxRAM=1g");

  private final String mainClass;
  private final List<String> jvmOptions;

  private JavaMainImage(String mainClass, List<String> jvmOptions) {
    this.mainClass = mainClass;
    this.jvmOptions = List.copyOf(jvmOptions);
  }

  public static JavaMainImage of(Class<?> mainClass) {
    return new JavaMainImage(mainClass.getName(), JVM_OPTIONS);
  }

  public JavaMainImage withJvmOptions(List<String> options) {
    return new JavaMainImage(mainClass, options);
  }

  /** With {@code options} after the ones it has, e.g. a trust store for a test's HTTPS server. */
  public JavaMainImage withMoreJvmOptions(List<String> options) {
    List<String> all = new ArrayList<>(jvmOptions);
    all.addAll(options);
    return new JavaMainImage(mainClass, all);
  }

  @Override
  public List<String> command(ContainerLaunch launch) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass);
    command.addAll(launch.args());
    return command;
  }
}
