package dev.kiln.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Document;

/** What can be checked of the images without a Docker engine: the command they run, and as whom. */
class DockerfilesTest {

  @ParameterizedTest
  @ValueSource(strings = {"Dockerfile", "Dockerfile.cpu"})
  void theEntrypointRunsTheRuntimesMainClassWithNativeAccessAndTmpAsTempDir(String dockerfile) throws Exception {
    List<String> entrypoint = entrypoint(finalStage(dockerfile));

    assertThat(entrypoint).startsWith("java").contains("--enable-native-access=ALL-UNNAMED", "-Djava.io.tmpdir=/tmp");
    assertThat(entrypoint).containsSubsequence("-cp", "/app/lib/*");
    Method main = Class.forName(entrypoint.getLast()).getMethod("main", String[].class);
    assertThat(Modifier.isStatic(main.getModifiers())).isTrue();
    assertThat(entrypoint.getLast()).isEqualTo(RuntimeMain.class.getName());
  }

  @ParameterizedTest
  @ValueSource(strings = {"Dockerfile", "Dockerfile.cpu"})
  void theImageRunsAsANumericNonRootUser(String dockerfile) throws IOException {
    List<String> users = finalStage(dockerfile).stream().filter(line -> line.startsWith("USER ")).toList();

    assertThat(users).hasSize(1);
    String user = users.getFirst().substring("USER ".length()).trim();
    assertThat(user).matches("\\d+(:\\d+)?");
    assertThat(Integer.parseInt(user.split(":")[0])).isNotZero();
  }

  @Test
  void onlyTheGpuImageBuildsWithTheCudaBuildOfOnnxRuntime() throws IOException {
    assertThat(Files.readString(Path.of("Dockerfile"))).contains("-Pgpu").contains("onnxruntime_gpu-*.jar")
        .contains("FROM nvidia/cuda:12.");
    assertThat(Files.readString(Path.of("Dockerfile.cpu"))).doesNotContain("-Pgpu").doesNotContain("nvidia/cuda");
  }

  @Test
  void theGpuProfileSwapsTheArtifactAndKeepsTheVersion() throws Exception {
    Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Path.of("pom.xml").toFile());
    var xpath = XPathFactory.newInstance().newXPath();

    String dependency = "/project/dependencies/dependency[groupId='com.microsoft.onnxruntime']";
    assertThat(xpath.evaluate(dependency + "/artifactId", pom)).isEqualTo("${onnxruntime.artifactId}");
    assertThat(xpath.evaluate(dependency + "/version", pom)).isEqualTo("${onnxruntime.version}");
    assertThat(xpath.evaluate("/project/properties/onnxruntime.artifactId", pom)).isEqualTo("onnxruntime");
    assertThat(xpath.evaluate("/project/profiles/profile[id='gpu']/properties/onnxruntime.artifactId", pom))
        .isEqualTo("onnxruntime_gpu");
  }

  /** The instructions after the last FROM, one per line. */
  private static List<String> finalStage(String dockerfile) throws IOException {
    List<String> lines = Files.readAllLines(Path.of(dockerfile));
    int lastFrom = 0;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith("FROM ")) {
        lastFrom = i;
      }
    }
    return lines.subList(lastFrom, lines.size());
  }

  private static List<String> entrypoint(List<String> stage) throws IOException {
    List<String> entrypoints = stage.stream().filter(line -> line.startsWith("ENTRYPOINT ")).toList();
    assertThat(entrypoints).as("one ENTRYPOINT, in exec form").hasSize(1);
    String[] command = new ObjectMapper().readValue(entrypoints.getFirst().substring("ENTRYPOINT ".length()),
        String[].class);
    return Arrays.asList(command);
  }
}
