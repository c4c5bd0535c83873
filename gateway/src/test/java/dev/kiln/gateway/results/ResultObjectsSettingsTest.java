package dev.kiln.gateway.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultObjectsSettingsTest {

  @Test
  void withoutSettingsResultsGoToADirectoryUnderTheTemporaryDirectory() {
    assertThat(ResultObjectsSettings.fromEnvironment(Map.of())).isEqualTo(
        new FileSystemSettings(Path.of(System.getProperty("java.io.tmpdir"), "kiln-gateway", "results")));
  }

  @Test
  void theDirectoryComesFromTheEnvironment() {
    assertThat(ResultObjectsSettings.fromEnvironment(Map.of(
        "KILN_GATEWAY_RESULTS_STORE", "filesystem",
        "KILN_GATEWAY_RESULTS_DIR", "/var/lib/kiln/results")))
        .isEqualTo(new FileSystemSettings(Path.of("/var/lib/kiln/results")));
  }

  @Test
  void everyS3SettingComesFromTheEnvironment() {
    ResultObjectsSettings settings = ResultObjectsSettings.fromEnvironment(Map.of(
        "KILN_GATEWAY_RESULTS_STORE", "s3",
        "KILN_GATEWAY_S3_ENDPOINT", "http://minio.storage:9000",
        "KILN_GATEWAY_S3_REGION", "eu-west-1",
        "KILN_GATEWAY_S3_BUCKET", "kiln-results",
        "KILN_GATEWAY_S3_PREFIX", "gateway/results/",
        "KILN_GATEWAY_S3_PATH_STYLE", "true",
        "KILN_GATEWAY_S3_ACCESS_KEY_ID", "AKIAEXAMPLE",
        "KILN_GATEWAY_S3_SECRET_ACCESS_KEY", "wJalrXUtnFEMI"));

    assertThat(settings).isEqualTo(new S3Settings(
        Optional.of(URI.create("http://minio.storage:9000")),
        "eu-west-1",
        "kiln-results",
        Optional.of("gateway/results"),
        true,
        Optional.of(new S3Settings.Credentials("AKIAEXAMPLE", "wJalrXUtnFEMI"))));
  }

  @Test
  void s3NeedsOnlyABucketAndDefaultsToAwsInUsEast1WithTheDefaultCredentials() {
    assertThat(ResultObjectsSettings.fromEnvironment(Map.of(
        "KILN_GATEWAY_RESULTS_STORE", "S3",
        "KILN_GATEWAY_S3_BUCKET", "kiln-results")))
        .isEqualTo(new S3Settings(Optional.empty(), "us-east-1", "kiln-results", Optional.empty(), false,
            Optional.empty()));
  }

  @Test
  void s3WithoutABucketIsRefusedNamingTheVariable() {
    assertRefused(Map.of("KILN_GATEWAY_RESULTS_STORE", "s3"), "KILN_GATEWAY_S3_BUCKET must name the bucket");
  }

  @Test
  void anUnknownStoreIsRefused() {
    assertRefused(Map.of("KILN_GATEWAY_RESULTS_STORE", "gcs"),
        "KILN_GATEWAY_RESULTS_STORE must be filesystem or s3, got 'gcs'");
  }

  @Test
  void aBadBucketNameIsRefusedNamingTheVariable() {
    assertRefused(s3With("KILN_GATEWAY_S3_BUCKET", "Kiln_Results"), "KILN_GATEWAY_S3_BUCKET: an S3 bucket name");
  }

  @Test
  void anEndpointThatIsNoHttpUrlIsRefusedNamingTheVariable() {
    assertRefused(s3With("KILN_GATEWAY_S3_ENDPOINT", "minio.storage:9000"),
        "KILN_GATEWAY_S3_ENDPOINT: an S3 endpoint must be an http or https URL");
    assertRefused(s3With("KILN_GATEWAY_S3_ENDPOINT", "http://minio storage"),
        "KILN_GATEWAY_S3_ENDPOINT: an S3 endpoint must be an http or https URL");
  }

  @Test
  void aPathStyleThatIsNeitherTrueNorFalseIsRefusedNamingTheVariable() {
    assertRefused(s3With("KILN_GATEWAY_S3_PATH_STYLE", "yes"),
        "KILN_GATEWAY_S3_PATH_STYLE: must be true or false, got 'yes'");
  }

  @Test
  void aPrefixThatIsNoKeyIsRefusedNamingTheVariable() {
    assertRefused(s3With("KILN_GATEWAY_S3_PREFIX", "../results"), "KILN_GATEWAY_S3_PREFIX: a result key");
  }

  @Test
  void anAccessKeyWithoutItsSecretIsRefusedNamingBoth() {
    assertRefused(s3With("KILN_GATEWAY_S3_ACCESS_KEY_ID", "AKIAEXAMPLE"),
        "set both KILN_GATEWAY_S3_ACCESS_KEY_ID and KILN_GATEWAY_S3_SECRET_ACCESS_KEY");
  }

  @Test
  void theSecretStaysOutOfTheSettingsText() {
    ResultObjectsSettings settings = ResultObjectsSettings.fromEnvironment(Map.of(
        "KILN_GATEWAY_RESULTS_STORE", "s3",
        "KILN_GATEWAY_S3_BUCKET", "kiln-results",
        "KILN_GATEWAY_S3_ACCESS_KEY_ID", "AKIAEXAMPLE",
        "KILN_GATEWAY_S3_SECRET_ACCESS_KEY", "wJalrXUtnFEMI"));

    assertThat(settings.toString()).contains("AKIAEXAMPLE").doesNotContain("wJalrXUtnFEMI");
  }

  @Test
  void openingFileSystemSettingsGivesAStoreInThatDirectory(@TempDir Path directory) throws Exception {
    try (ResultObjects store = ResultObjects.open(new FileSystemSettings(directory))) {
      store.put("0f2c", new byte[] {1, 2, 3}, "image/png");

      assertThat(store).isInstanceOf(FileSystemResultObjects.class);
      assertThat(store.describe()).contains(directory.toRealPath().toString());
    }
  }

  private static Map<String, String> s3With(String name, String value) {
    Map<String, String> env = new HashMap<>(Map.of(
        "KILN_GATEWAY_RESULTS_STORE", "s3",
        "KILN_GATEWAY_S3_BUCKET", "kiln-results"));
    env.put(name, value);
    return env;
  }

  private static void assertRefused(Map<String, String> env, String message) {
    assertThatThrownBy(() -> ResultObjectsSettings.fromEnvironment(env))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }
}
