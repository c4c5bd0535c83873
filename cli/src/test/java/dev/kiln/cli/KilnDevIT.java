package dev.kiln.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The README's run command, {@code ./kiln dev}, as a user runs it from the repository's root: a
 * real control plane, node agent, operator, gateway and runtime worker serving the real
 * background-removal model. Its own {@code KILN_DEV_DIR}, so a developer's {@code kiln dev} keeps
 * running beside it; the shared cache gives the Kubernetes binaries and the model.
 */
class KilnDevIT {

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Duration RUN_LIMIT = Duration.ofMinutes(10);
  private static final Path DEV_DIR = Path.of("target", "kiln-dev").toAbsolutePath();

  private Process kiln;

  @AfterEach
  void stopWhatIsLeft() {
    if (kiln != null && kiln.isAlive()) {
      kiln.descendants().forEach(ProcessHandle::destroyForcibly);
      kiln.destroyForcibly();
    }
  }

  @Test
  void checkServesRealRequestsPrintsTheirUsageAndExitsZero() throws Exception {
    Path output = DEV_DIR.resolveSibling("kiln-dev-check.out");
    kiln = start(output, "dev", "--check", "--run-port", "0", "--queue-port", "0");

    assertThat(kiln.waitFor(RUN_LIMIT.toMinutes(), TimeUnit.MINUTES)).as("finished within " + RUN_LIMIT).isTrue();

    String printed = Files.readString(output);
    assertThat(kiln.exitValue()).as(printed).isZero();
    assertThat(printed)
        .contains("phase READY, 1 ready replica(s)")
        .contains("API key   kiln/dev:")
        .contains("export KUBECONFIG=")
        .contains("200 image/png, 320x320 PNG")
        .contains("COMPLETED, inference_time")
        .contains("2 requests, ")
        .contains("kiln dev --check: all requests answered as they should")
        .contains("stopping control plane: done")
        .doesNotContain("FAILED");
    assertThat(printed.split("background removed", -1)).as("the run and the queued request").hasSize(3);
  }

  /** Ctrl-C in a terminal signals the whole foreground process group: here, kiln's own group. */
  @Test
  void ctrlCStopsEveryProcessItStartedInOrder() throws Exception {
    Path output = DEV_DIR.resolveSibling("kiln-dev-interrupted.out");
    kiln = start(output, "setsid", "dev", "--run-port", "0", "--queue-port", "0");
    await("kiln dev is serving").atMost(RUN_LIMIT).pollInterval(Duration.ofMillis(200))
        .until(() -> Files.readString(output).contains("Ctrl-C stops everything") || !kiln.isAlive());
    assertThat(kiln.isAlive()).as(Files.readString(output)).isTrue();
    String kubectl = kubectl(Files.readString(output), "-n", "kiln", "get", "models");
    assertThat(kubectl.lines().filter(line -> line.startsWith("background-removal")))
        .as("kubectl against the dev cluster, as kiln dev printed it: " + kubectl)
        .singleElement().asString().containsPattern("\\scpu\\s+Hot\\s+1\\s+1\\s+0\\s+Ready\\s");
    List<ProcessHandle> started = kiln.descendants().toList();
    assertThat(started).as("etcd, kube-apiserver, the scheduler, the controller-manager and a runtime worker")
        .hasSizeGreaterThanOrEqualTo(5);

    new ProcessBuilder("kill", "-INT", "--", "-" + kiln.pid()).inheritIO().start().waitFor();

    assertThat(kiln.waitFor(2, TimeUnit.MINUTES)).isTrue();
    String printed = Files.readString(output);
    assertThat(printed).contains("kiln dev: stopping").contains("stopping control plane: done").doesNotContain("FAILED");
    assertThat(Files.readString(DEV_DIR.resolve("run").resolve("kiln-dev.log")))
        .as("the workers stopped before the API server they report to").doesNotContain("could not remove fake node");
    assertThat(started).noneMatch(ProcessHandle::isAlive);
  }

  /** Runs the kubectl that kiln dev printed, with the KUBECONFIG it printed. */
  private static String kubectl(String printed, String... arguments) throws Exception {
    Matcher export = Pattern.compile("export KUBECONFIG=(\\S+)\\s+(\\S+/kubectl) ").matcher(printed);
    assertThat(export.find()).as(printed).isTrue();
    List<String> command = new ArrayList<>(List.of(export.group(2)));
    command.addAll(List.of(arguments));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("KUBECONFIG", export.group(1));
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor(1, TimeUnit.MINUTES)).isTrue();
    assertThat(process.exitValue()).as(out).isZero();
    return out;
  }

  /** {@code ./kiln arguments}, or {@code setsid ./kiln arguments} in a process group of its own. */
  private static Process start(Path output, String... arguments) throws IOException {
    Files.createDirectories(DEV_DIR);
    List<String> command = new ArrayList<>();
    List<String> rest = new ArrayList<>(List.of(arguments));
    if (rest.getFirst().equals("setsid")) {
      command.add(rest.removeFirst());
    }
    command.addAll(List.of("bash", ROOT.resolve("kiln").toString()));
    command.addAll(rest);
    ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true)
        .redirectOutput(output.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    builder.environment().put("KILN_DEV_DIR", DEV_DIR.toString());
    return builder.start();
  }
}
