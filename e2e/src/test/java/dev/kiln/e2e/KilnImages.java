package dev.kiln.e2e;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Kiln's operator, gateway and CPU runtime images, built from this checkout with the Docker CLI: the Dockerfiles use
 * BuildKit's cache mounts, which the Docker API's classic builder does not have.
 */
final class KilnImages {

  private record Image(String dockerfile, String component) {
  }

  private static final List<Image> IMAGES = List.of(
      new Image("operator/Dockerfile", "kiln-operator"),
      new Image("gateway/Dockerfile", "kiln-gateway"),
      new Image("runtime-image/Dockerfile.cpu", "kiln-runtime"));
  private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(20);

  private final Path repository;
  private final String registry;
  private final String tag;

  KilnImages(Path repository, String registry, String tag) {
    this.repository = repository;
    this.registry = registry;
    this.tag = tag;
  }

  /** Whether the {@code docker} command is here and reaches an engine. */
  static boolean dockerCommandWorks() {
    try {
      Process version = new ProcessBuilder("docker", "version", "--format", "{{.Server.Version}}")
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      return version.waitFor(30, TimeUnit.SECONDS) && version.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Builds the three images, printing Docker's progress. */
  void build() throws IOException, InterruptedException {
    for (int i = 0; i < IMAGES.size(); i++) {
      Image image = IMAGES.get(i);
      System.out.printf("building image %d of %d: %s from %s%n", i + 1, IMAGES.size(), reference(image),
          image.dockerfile());
      // No provenance attestation: its manifest would sit in the saved image's index, which ctr imports only in part.
      docker(BUILD_TIMEOUT, "build", "--progress=plain", "--provenance=false", "-f", repository.resolve(image.dockerfile()).toString(),
          "-t", reference(image), repository.toString());
    }
  }

  /** Writes the three images to one archive in {@code directory}, as {@code docker save} does, and returns it. */
  Path save(Path directory) throws IOException, InterruptedException {
    Path archive = directory.resolve("kiln-images.tar");
    List<String> arguments = new ArrayList<>(List.of("save", "-o", archive.toString()));
    IMAGES.stream().map(this::reference).forEach(arguments::add);
    docker(Duration.ofMinutes(5), arguments.toArray(String[]::new));
    return archive;
  }

  private String reference(Image image) {
    return registry + "/" + image.component() + ":" + tag;
  }

  private static void docker(Duration timeout, String... arguments) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("docker"));
    command.addAll(List.of(arguments));
    Process process = new ProcessBuilder(command).inheritIO().start();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException(String.join(" ", command) + " did not finish in " + timeout);
    }
    if (process.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed with exit code " + process.exitValue());
    }
  }
}
