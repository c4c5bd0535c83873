package dev.kiln.operator.leader;

import static dev.kiln.operator.pool.PoolTestbed.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kiln.operator.KilnOperator;
import dev.kiln.operator.OperatorFixture;
import dev.kiln.operator.pool.PoolTestbed;
import dev.kiln.testing.junit.LocalKubernetes;
import dev.kiln.testing.junit.TestCluster;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The operator as its own process, as in a pod: SIGTERM stops it, gives the lease up and exits 0. */
@LocalKubernetes
class OperatorShutdownIT {

  private static final Pattern HTTP_PORT = Pattern.compile("operator\\.started http_port=(\\d+)");

  @TempDir
  Path dir;

  @Test
  void sigtermReleasesTheLeaseAndExitsZero(TestCluster cluster) throws Exception {
    OperatorFixture.installCrds(cluster.admin());
    Path log = dir.resolve("operator.log");
    ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), KilnOperator.class.getName())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile());
    builder.environment().putAll(Map.of(
        "KUBECONFIG", cluster.controlPlane().adminKubeconfig().toString(),
        "KILN_RUNTIME_IMAGE", PoolTestbed.IMAGE,
        "KILN_WATCH_NAMESPACES", cluster.namespace(),
        "KILN_OPERATOR_HTTP_PORT", "0",
        "KILN_LEADER_ELECTION", "true",
        "KILN_OPERATOR_NAMESPACE", cluster.namespace(),
        "POD_NAME", "kiln-operator-process"));
    Process operator = builder.start();
    try {
      int port = await("the operator listening").atMost(TIMEOUT).until(() -> httpPort(log), Optional::isPresent).orElseThrow();
      await("the operator holding the lease").atMost(TIMEOUT).until(() -> holder(cluster), "kiln-operator-process"::equals);
      assertThat(HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz")).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);

      operator.destroy(); // SIGTERM

      assertThat(operator.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).as("exited").isTrue();
      assertThat(operator.exitValue()).as("exit code; log:%n%s", Files.readString(log)).isZero();
      assertThat(holder(cluster)).isNull();
      List<String> lines = Files.readAllLines(log);
      assertThat(lines).anyMatch(line -> line.contains("lease.released")).anyMatch(line -> line.contains("operator.exit code=0"));
    } finally {
      operator.destroyForcibly();
    }
  }

  private static Optional<Integer> httpPort(Path log) throws Exception {
    if (!Files.exists(log)) {
      return Optional.empty();
    }
    Matcher matcher = HTTP_PORT.matcher(Files.readString(log));
    return matcher.find() ? Optional.of(Integer.parseInt(matcher.group(1))) : Optional.empty();
  }

  private static String holder(TestCluster cluster) {
    Lease lease = cluster.admin().resources(Lease.class).inNamespace(cluster.namespace())
        .withName(LeaderElectionSettings.LEASE_NAME).get();
    return lease == null ? null : lease.getSpec().getHolderIdentity();
  }
}
