package dev.kiln.runtime.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two worker processes on one node share the model cache: the model is downloaded once. */
class SharedCacheProcessesIT {

  @TempDir
  Path work;

  @Test
  void twoProcessesLoadingTheSameModelDownloadItOnce() throws Exception {
    byte[] model = new byte[4 << 20];
    new Random(42).nextBytes(model);
    String sha256 = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(model));

    try (var server = new LoopbackModelServer(work)) {
      server.put("/shared.onnx", model);
      server.closeGate();
      Path cache = work.resolve("node-cache");
      List<Process> workers = new ArrayList<>();
      List<List<String>> outputs = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Djavax.net.ssl.trustStore=" + server.keystore(),
            "-Djavax.net.ssl.trustStorePassword=" + LoopbackModelServer.PASSWORD,
            "-Djavax.net.ssl.trustStoreType=PKCS12",
            "-cp", System.getProperty("java.class.path"), FetchModelMain.class.getName(),
            cache.toString(), server.uri("/shared.onnx").toString(), sha256)
            .redirectErrorStream(true).start();
        workers.add(process);
        outputs.add(collect(process));
      }

      // Both processes are inside fetch() while the first download is held at the server.
      await("both workers fetching").atMost(Duration.ofSeconds(60))
          .until(() -> outputs.stream().allMatch(lines -> lines.stream().anyMatch(l -> l.startsWith("fetching"))));
      server.openGate();

      for (int i = 0; i < workers.size(); i++) {
        assertThat(workers.get(i).waitFor(60, TimeUnit.SECONDS)).as("worker %d finished", i).isTrue();
        assertThat(workers.get(i).exitValue()).as("worker %d output: %s", i, outputs.get(i)).isZero();
      }
      assertThat(server.requests()).isEqualTo(1);
      assertThat(outputs).allSatisfy(lines ->
          assertThat(lines).contains("fetched " + cache.resolve("blobs").resolve(sha256)));
    }
  }

  private static List<String> collect(Process process) {
    List<String> lines = new CopyOnWriteArrayList<>();
    Thread.ofVirtual().start(() -> {
      try (var reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        reader.lines().forEach(lines::add);
      } catch (java.io.IOException e) {
        lines.add("(output unreadable: " + e.getMessage() + ")");
      }
    });
    return lines;
  }
}
