package dev.kiln.gateway.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSystemResultObjectsTest extends ResultObjectsContract {

  @TempDir
  Path temporary;

  private Path directory;

  @Override
  ResultObjects openEmptyStore() {
    directory = temporary.resolve("results");
    return new FileSystemResultObjects(directory);
  }

  @Test
  void theDirectoryIsCreatedWithItsParents() {
    Path nested = temporary.resolve("pvc/kiln/results");

    try (ResultObjects nestedStore = new FileSystemResultObjects(nested)) {
      nestedStore.put(KEY, bytes("x"), "text/plain");
    }

    assertThat(nested).isDirectory();
  }

  @Test
  void objectsOutliveTheStoreThatWroteThem() {
    byte[] image = randomBytes(10_000, 1);
    store.put("model-a/" + KEY, image, "image/webp");
    store.close();

    try (ResultObjects reopened = new FileSystemResultObjects(directory)) {
      StoredObject stored = reopened.get("model-a/" + KEY).orElseThrow();
      assertThat(stored.bytes()).isEqualTo(image);
      assertThat(stored.contentType()).isEqualTo("image/webp");
    }
  }

  @Test
  void aPutLeavesOneFilePerObjectAndNoTemporaryFiles() throws Exception {
    store.put(KEY, randomBytes(1_000, 1), "image/png");
    store.put(KEY, randomBytes(2_000, 2), "image/png");
    store.put("model-a/" + KEY, randomBytes(1_000, 3), "image/png");

    try (Stream<Path> files = Files.walk(directory)) {
      assertThat(files.filter(Files::isRegularFile).map(directory::relativize).map(Path::toString))
          .containsExactlyInAnyOrder(KEY + "@", "model-a/" + KEY + "@");
    }
  }

  @Test
  void aKeyCannotLeadOutThroughASymbolicLink() throws Exception {
    Path outside = Files.createDirectories(temporary.resolve("outside"));
    Files.writeString(outside.resolve(KEY + "@"), "text/plain\nsecret");
    Files.createSymbolicLink(directory.resolve("elsewhere"), outside);

    assertThatThrownBy(() -> store.put("elsewhere/" + KEY, bytes("x"), "text/plain"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("leads outside");
    assertThatThrownBy(() -> store.get("elsewhere/" + KEY))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("leads outside");
    assertThatThrownBy(() -> store.delete("elsewhere/" + KEY))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("leads outside");
    try (Stream<Path> files = Files.list(outside)) {
      assertThat(files).containsExactly(outside.resolve(KEY + "@"));
    }
    assertThat(Files.readString(outside.resolve(KEY + "@"))).isEqualTo("text/plain\nsecret");
  }

  @Test
  void anObjectFileThatIsALinkOutsideIsNotRead() throws Exception {
    Path secret = Files.writeString(temporary.resolve("secret"), "text/plain\nsecret");
    Files.createSymbolicLink(directory.resolve(KEY + "@"), secret);

    assertThatThrownBy(() -> store.get(KEY))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("leads outside");
  }

  @Test
  void readersDuringReplacementsSeeAWholeObjectEveryTime() throws Exception {
    byte[] png = randomBytes(1024 * 1024, 1);
    byte[] jpeg = randomBytes(1024 * 1024, 2);
    store.put(KEY, png, "image/png");

    try (ExecutorService executor = Executors.newSingleThreadExecutor()) {
      Future<?> writer = executor.submit(() -> {
        for (int i = 0; i < 40; i++) {
          store.put(KEY, i % 2 == 0 ? jpeg : png, i % 2 == 0 ? "image/jpeg" : "image/png");
        }
      });
      int reads = 0;
      while (!writer.isDone()) {
        StoredObject object = store.get(KEY).orElseThrow();
        assertThat(object.bytes()).isEqualTo(object.contentType().equals("image/png") ? png : jpeg);
        reads++;
      }
      writer.get();
      assertThat(reads).isPositive();
    }
  }

  @Test
  void itDescribesItsDirectory() throws Exception {
    assertThat(store.describe()).contains(directory.toRealPath().toString());
  }
}
