package dev.kiln.gateway.results;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultFilesTest {

  private static final URI QUEUE = URI.create("https://queue.kiln.example.com");

  @TempDir
  Path directory;

  @Test
  void anOutputWithinTheLimitStaysInTheDatabase() {
    ResultFiles files = new ResultFiles(new FileSystemResultObjects(directory), 64);
    byte[] output = "{\"url\":\"data:image/png;base64,AAAA\"}".getBytes(StandardCharsets.UTF_8);

    StoredResult stored = files.store("r-1", "application/json", output.clone());

    assertThat(stored.body()).isEqualTo(output);
    assertThat(stored.keys()).isEmpty();
  }

  @Test
  void aLargeJsonOutputKeepsItsSmallStringsAndStoresItsLargeDataUris() {
    ResultFiles files = new ResultFiles(new FileSystemResultObjects(directory), 32);
    String large = "data:image/jpeg;base64," + "QUFB".repeat(20);
    byte[] output = ("{\"images\":[{\"url\":\"" + large + "\"},{\"url\":\"" + large + "\"}],\"note\":\""
        + "n".repeat(40) + "\"}").getBytes(StandardCharsets.UTF_8);

    StoredResult stored = files.store("r-1", "application/json; charset=utf-8", output);

    assertThat(stored.keys()).containsExactly("r-1/0", "r-1/1");
    assertThat(stored.wholeOutput()).isEmpty();
    assertThat(new String(ResultFiles.link(stored.body(), QUEUE), StandardCharsets.UTF_8)).isEqualTo(
        "{\"images\":[{\"url\":\"https://queue.kiln.example.com/-/results/r-1/0\"},"
            + "{\"url\":\"https://queue.kiln.example.com/-/results/r-1/1\"}],\"note\":\"" + "n".repeat(40) + "\"}");
    assertThat(files.object("r-1/1")).hasValueSatisfying(object -> {
      assertThat(object.contentType()).isEqualTo("image/jpeg");
      assertThat(new String(object.bytes(), StandardCharsets.US_ASCII)).isEqualTo("AAA".repeat(20));
    });
  }

  @Test
  void aLargeOutputThatIsNoJsonOrHasNoDataUriIsStoredWhole() {
    ResultFiles files = new ResultFiles(new FileSystemResultObjects(directory), 8);
    byte[] png = new byte[64];
    byte[] json = "{\"text\":\"a long answer\"}".getBytes(StandardCharsets.UTF_8);

    StoredResult image = files.store("r-1", "image/png", png);
    StoredResult text = files.store("r-2", "application/json", json);

    assertThat(image.wholeOutput()).contains("r-1/output");
    assertThat(image.body()).isEmpty();
    assertThat(files.wholeOutput("r-1/output")).isEqualTo(png);
    assertThat(text.wholeOutput()).contains("r-2/output");
    assertThat(files.wholeOutput("r-2/output")).isEqualTo(json);
  }

  @Test
  void linkingLeavesAnOutputWithoutReferencesAsItIs() {
    byte[] output = "not json at all".getBytes(StandardCharsets.UTF_8);

    assertThat(ResultFiles.link(output, QUEUE)).isSameAs(output);
    assertThat(new ResultFiles(new FileSystemResultObjects(directory), 8).object("r-9/0")).isEqualTo(Optional.empty());
  }
}
