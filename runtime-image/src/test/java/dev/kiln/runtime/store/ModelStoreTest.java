package dev.kiln.runtime.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelStoreTest {

  private static final int SIZE = 256 * 1024;

  @TempDir
  Path work;

  private LoopbackModelServer server;

  @BeforeEach
  void startServer() throws Exception {
    server = new LoopbackModelServer(work);
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  @Test
  void downloadIsVerifiedStoredByContentHashAndThenServedFromTheCache() throws Exception {
    byte[] model = bytes(1);
    server.put("/models/linear.onnx", model);
    ModelStore store = store(10 * SIZE);
    var location = ModelLocation.of(server.uri("/models/linear.onnx").toString()).withSha256(sha256(model));

    try (CachedModel first = store.fetch(location); CachedModel second = store.fetch(location)) {
      assertThat(Files.readAllBytes(first.path())).isEqualTo(model);
      assertThat(first.path().getFileName().toString()).isEqualTo(sha256(model));
      assertThat(second.path()).isEqualTo(first.path());
    }
    assertThat(server.requests()).isEqualTo(1);
  }

  @Test
  void urlWithoutDeclaredHashIsDownloadedOnce() throws Exception {
    server.put("/m.onnx", bytes(2));
    ModelStore store = store(10 * SIZE);

    store.fetch(ModelLocation.of(server.uri("/m.onnx").toString())).close();
    store.fetch(ModelLocation.of(server.uri("/m.onnx").toString())).close();

    assertThat(server.requests()).isEqualTo(1);
  }

  @Test
  void brokenDownloadResumesFromTheBytesAlreadyReceived() throws Exception {
    byte[] model = bytes(3);
    server.put("/big.onnx", model);
    server.breakFirstResponseAfter(100_000);
    ModelStore store = store(10 * SIZE);
    var location = ModelLocation.of(server.uri("/big.onnx").toString()).withSha256(sha256(model));

    assertThatThrownBy(() -> store.fetch(location))
        .isInstanceOf(ModelFetchException.class)
        .hasMessageContaining("broke off")
        .hasMessageContaining("resumes");

    try (CachedModel resumed = store.fetch(location)) {
      assertThat(Files.readAllBytes(resumed.path())).isEqualTo(model);
    }
    // The resume starts where the received bytes end (TLS may lose the last record of a broken response).
    assertThat(server.rangeHeaders()).singleElement().satisfies(range -> {
      long from = Long.parseLong(range.replaceAll("bytes=(\\d+)-", "$1"));
      assertThat(from).isPositive().isLessThanOrEqualTo(100_000);
    });
    assertThat(server.fullDownloads()).isEqualTo(1);
  }

  @Test
  void checksumMismatchFailsThatModelOnlyAndKeepsNothing() throws Exception {
    server.put("/tampered.onnx", bytes(4));
    server.put("/good.onnx", bytes(5));
    ModelStore store = store(10 * SIZE);
    String wrong = sha256(bytes(6));

    assertThatThrownBy(() -> store.fetch(ModelLocation.of(server.uri("/tampered.onnx").toString()).withSha256(wrong)))
        .isInstanceOf(ModelFetchException.class)
        .hasMessageContaining("sha256 mismatch")
        .hasMessageContaining("expected " + wrong)
        .hasMessageContaining("got " + sha256(bytes(4)));

    try (CachedModel good = store.fetch(ModelLocation.of(server.uri("/good.onnx").toString()))) {
      assertThat(Files.readAllBytes(good.path())).isEqualTo(bytes(5));
    }
    assertThat(store.sizeBytes()).isEqualTo(SIZE);
    try (var partials = Files.list(work.resolve("cache/partial"))) {
      assertThat(partials).isEmpty();
    }
  }

  @Test
  void huggingFaceSourceGoesToTheHubWithTheToken() throws Exception {
    server.put("/acme/rmbg/resolve/v2/onnx/model.onnx", bytes(7));
    server.requireToken("hf_secret");
    ModelStore store = store(10 * SIZE);
    var location = ModelLocation.of("hf://acme/rmbg/onnx/model.onnx@v2");

    assertThatThrownBy(() -> store.fetch(location))
        .isInstanceOf(ModelFetchException.class)
        .hasMessageContaining("HTTP 401")
        .hasMessageContaining("credentials Secret");
    try (CachedModel model = store.fetch(location.withBearerToken("hf_secret"))) {
      assertThat(Files.readAllBytes(model.path())).isEqualTo(bytes(7));
    }
  }

  @Test
  void folderModelIsCopiedWholeAndKeyedByItsTreeHash() throws Exception {
    Path folder = Files.createDirectories(work.resolve("text-encoder"));
    Files.write(folder.resolve("model.onnx"), bytes(8));
    Files.createDirectories(folder.resolve("tokenizer"));
    Files.writeString(folder.resolve("tokenizer/vocab.json"), "{\"a\": 1}", StandardCharsets.UTF_8);
    ModelStore store = store(10 * SIZE);

    try (CachedModel model = store.fetch(ModelLocation.of(folder.toUri().toString())
        .withSha256(ContentHash.ofTree(folder)))) {
      assertThat(model.sha256()).isEqualTo(ContentHash.ofTree(folder));
      assertThat(Files.readAllBytes(model.path().resolve("model.onnx"))).isEqualTo(bytes(8));
      assertThat(model.path().resolve("tokenizer/vocab.json")).hasContent("{\"a\": 1}");
    }
  }

  @Test
  void leastRecentlyUsedUnheldModelIsEvictedBeyondTheLimit() throws Exception {
    for (String name : new String[] {"a", "b", "c"}) {
      server.put("/" + name, bytes(name.charAt(0)));
    }
    ModelStore store = store(2 * SIZE + SIZE / 2);

    CachedModel a = store.fetch(location("a"));
    store.fetch(location("b")).close();
    a.close();
    store.fetch(location("a")).close();   // a is now more recent than b
    store.fetch(location("c")).close();

    assertThat(store.sizeBytes()).isEqualTo(2 * SIZE);
    assertThat(cached("a")).isTrue();
    assertThat(cached("b")).isFalse();
    assertThat(cached("c")).isTrue();
  }

  @Test
  void heldModelIsNeverEvicted() throws Exception {
    for (String name : new String[] {"a", "b", "c"}) {
      server.put("/" + name, bytes(name.charAt(0)));
    }
    ModelStore store = store(SIZE);

    try (CachedModel held = store.fetch(location("a"))) {
      store.fetch(location("b")).close();
      store.fetch(location("c")).close();   // over the limit: evicts b, the least recent model nobody holds

      assertThat(cached("a")).isTrue();
      assertThat(cached("b")).isFalse();
      assertThat(cached("c")).isTrue();
      assertThat(Files.readAllBytes(held.path())).isEqualTo(bytes('a'));
    }
  }

  @Test
  void missingLocalFileSaysSo() throws Exception {
    ModelStore store = store(SIZE);
    Path missing = work.resolve("nowhere.onnx");

    assertThatThrownBy(() -> store.fetch(ModelLocation.of(missing.toUri().toString())))
        .isInstanceOf(ModelFetchException.class)
        .hasMessageContaining("does not exist on this node");
  }

  @Test
  void plainHttpAndUnknownSchemesAreRefused() {
    assertThatThrownBy(() -> ModelLocation.of("http://example.com/m.onnx"))
        .hasMessageContaining("plain http:// is refused");
    assertThatThrownBy(() -> ModelLocation.of("gopher://example.com/m.onnx"))
        .hasMessageContaining("unsupported model source");
  }

  private ModelStore store(long maxBytes) throws Exception {
    return ModelStore.open(work.resolve("cache"), maxBytes, server.base(), server.trustingClient());
  }

  private ModelLocation location(String name) {
    return ModelLocation.of(server.uri("/" + name).toString()).withSha256(sha256(bytes(name.charAt(0))));
  }

  private boolean cached(String name) {
    return Files.exists(work.resolve("cache/blobs").resolve(sha256(bytes(name.charAt(0)))));
  }

  private static byte[] bytes(int seed) {
    byte[] content = new byte[SIZE];
    new Random(seed).nextBytes(content);
    return content;
  }

  private static String sha256(byte[] content) {
    try {
      return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(content));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
