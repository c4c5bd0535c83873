package dev.kiln.crds;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.testing.junit.LocalKubernetes;
import dev.kiln.testing.junit.TestCluster;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The manifests in examples/ as a user applies and reads them: through the real kubectl. */
@LocalKubernetes
class ExamplesIT {

  private static final Path EXAMPLES = Path.of("..", "examples");

  @BeforeAll
  static void installCrds(KubernetesClient admin) {
    KilnCrdSupport.install(admin);
  }

  static Stream<Path> examples() throws IOException {
    try (Stream<Path> files = Files.list(EXAMPLES)) {
      List<Path> yaml = files.filter(file -> file.toString().endsWith(".yaml")).sorted().toList();
      assertThat(yaml).as("examples in %s", EXAMPLES).hasSizeGreaterThanOrEqualTo(7);
      return yaml.stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void exampleAppliesCleanly(Path example, TestCluster cluster) throws Exception {
    KubectlResult result = kubectl(cluster, "apply", "-f", example.toString());

    assertThat(result.exitCode()).as("kubectl apply -f %s:%n%s", example, result.output()).isZero();
    assertThat(result.output()).contains("created");
  }

  @Test
  void kubectlGetShowsThePrinterColumns(TestCluster cluster) throws Exception {
    for (Path example : examples().toList()) {
      kubectl(cluster, "apply", "-f", example.toString());
    }

    KubectlResult result = kubectl(cluster, "get", "models,gpupools,apikeys");

    assertThat(result.exitCode()).as(result.output()).isZero();
    List<List<String>> headers = result.output().lines()
        .filter(line -> line.startsWith("NAME"))
        .map(line -> Arrays.asList(line.trim().split("\\s{2,}")))
        .toList();
    assertThat(headers).containsExactly(
        List.of("NAME", "POOL", "POLICY", "RESIDENT", "READY", "QUEUE", "PHASE", "AGE"),
        List.of("NAME", "GPUS", "READY", "DESIRED", "UPDATED", "IDLE", "SCALING", "AGE"),
        List.of("NAME", "RATE", "CAP", "SPEND", "STATE", "AGE"));
    assertThat(result.output()).contains("model.kiln.dev/background-removal").contains("gpupool.kiln.dev/h100")
        .contains("apikey.kiln.dev/web-app");
  }

  @Test
  void kubectlGetKilnListsEveryKind(TestCluster cluster) throws Exception {
    kubectl(cluster, "apply", "-f", EXAMPLES.resolve("cpu-pool.yaml").toString());
    kubectl(cluster, "apply", "-f", EXAMPLES.resolve("tensor-model.yaml").toString());

    KubectlResult result = kubectl(cluster, "get", "kiln");

    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).contains("gpupool.kiln.dev/cpu").contains("model.kiln.dev/resnet50");
  }

  private record KubectlResult(int exitCode, String output) {}

  private static KubectlResult kubectl(TestCluster cluster, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(
        cluster.controlPlane().binaries().kubectl().toString(),
        "--kubeconfig", cluster.controlPlane().adminKubeconfig().toString(),
        "--namespace", cluster.namespace()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("kubectl " + String.join(" ", args) + " did not finish");
    }
    return new KubectlResult(process.exitValue(), output);
  }
}
