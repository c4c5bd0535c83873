package dev.kiln.gateway.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What every {@link ResultObjects} does; each implementation's test extends this with a fresh, empty store. */
abstract class ResultObjectsContract {

  static final String KEY = "0f2c9a7e-5b1d-4c3e-9f6a-2d8b7c1e4a50";

  ResultObjects store;

  /** A new store with no objects in it. */
  abstract ResultObjects openEmptyStore() throws Exception;

  @BeforeEach
  void open() throws Exception {
    store = openEmptyStore();
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void anObjectReadsBackWithItsBytesAndContentType() {
    byte[] image = randomBytes(100_000, 1);

    store.put(KEY, image, "image/png");

    StoredObject stored = store.get(KEY).orElseThrow();
    assertThat(stored.bytes()).isEqualTo(image);
    assertThat(stored.contentType()).isEqualTo("image/png");
  }

  /** Written without spaces, which some S3-compatible servers (Jetty's, in S3Proxy) take out of the header. */
  @Test
  void aContentTypeKeepsItsParameters() {
    store.put(KEY, bytes("{\"images\":[]}"), "application/json;charset=utf-8");

    assertThat(store.get(KEY).orElseThrow().contentType()).isEqualTo("application/json;charset=utf-8");
  }

  @Test
  void aKeyWithNoObjectIsEmpty() {
    assertThat(store.get(KEY)).isEmpty();
    assertThat(store.get("model-a/" + KEY)).isEmpty();
  }

  @Test
  void aPutReplacesTheObjectAndItsContentType() {
    store.put(KEY, randomBytes(5_000, 1), "image/png");
    byte[] replacement = randomBytes(3_000, 2);

    store.put(KEY, replacement, "image/jpeg");

    StoredObject stored = store.get(KEY).orElseThrow();
    assertThat(stored.bytes()).isEqualTo(replacement);
    assertThat(stored.contentType()).isEqualTo("image/jpeg");
  }

  @Test
  void aDeletedObjectIsGoneAndOthersStay() {
    byte[] other = randomBytes(1_000, 2);
    store.put(KEY, randomBytes(1_000, 1), "image/png");
    store.put("other", other, "image/png");

    store.delete(KEY);

    assertThat(store.get(KEY)).isEmpty();
    assertThat(store.get("other").orElseThrow().bytes()).isEqualTo(other);
  }

  @Test
  void deletingAKeyWithNoObjectIsNoError() {
    assertThatCode(() -> store.delete(KEY)).doesNotThrowAnyException();
    assertThatCode(() -> store.delete("never/made/" + KEY)).doesNotThrowAnyException();
  }

  @Test
  void theSameIdUnderDifferentPrefixesNamesDifferentObjects() {
    store.put(KEY, bytes("top"), "text/plain");
    store.put("model-a/" + KEY, bytes("a"), "text/plain");
    store.put("model-b/v1/" + KEY, bytes("b"), "text/plain");

    assertThat(store.get(KEY).orElseThrow().bytes()).isEqualTo(bytes("top"));
    assertThat(store.get("model-a/" + KEY).orElseThrow().bytes()).isEqualTo(bytes("a"));
    assertThat(store.get("model-b/v1/" + KEY).orElseThrow().bytes()).isEqualTo(bytes("b"));
    assertThat(store.get("model-b/" + KEY)).isEmpty();
  }

  @Test
  void aKeyAndAKeyUnderItAreBothObjects() {
    store.put("batch", bytes("the batch"), "text/plain");
    store.put("batch/1", bytes("its first"), "text/plain");

    assertThat(store.get("batch").orElseThrow().bytes()).isEqualTo(bytes("the batch"));
    assertThat(store.get("batch/1").orElseThrow().bytes()).isEqualTo(bytes("its first"));
  }

  @Test
  void anEmptyObjectIsAnObject() {
    store.put(KEY, new byte[0], "application/octet-stream");

    assertThat(store.get(KEY).orElseThrow().bytes()).isEmpty();
  }

  @Test
  void aLargeObjectReadsBackByteForByte() {
    byte[] large = randomBytes(12 * 1024 * 1024, 3);

    store.put(KEY, large, "image/png");

    assertThat(store.get(KEY).orElseThrow().bytes()).isEqualTo(large);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "/etc/passwd", "..", "../" + KEY, "a/../../" + KEY, "a/./b", "a//b", "a/", ".hidden",
      "a b", "a\\b", "C:" + KEY, "caf\u00e9", "a\nb"})
  void aBadKeyIsRefusedByEveryOperation(String key) {
    assertThatThrownBy(() -> store.put(key, bytes("x"), "text/plain"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("result key");
    assertThatThrownBy(() -> store.get(key))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("result key");
    assertThatThrownBy(() -> store.delete(key))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("result key");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "image/png\r\nX-Injected: 1", "image/p\u00e9g"})
  void aBadContentTypeIsRefusedAndStoresNothing(String contentType) {
    assertThatThrownBy(() -> store.put(KEY, bytes("x"), contentType))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("content type");

    assertThat(store.get(KEY)).isEmpty();
  }

  static byte[] randomBytes(int length, long seed) {
    byte[] bytes = new byte[length];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
