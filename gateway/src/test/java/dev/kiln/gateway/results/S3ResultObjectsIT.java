package dev.kiln.gateway.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The S3 store against a real S3-compatible server: S3Proxy in this process, on loopback, keeping objects in memory
 * and checking AWS signatures.
 */
class S3ResultObjectsIT extends ResultObjectsContract {

  private static final String ACCESS_KEY_ID = "kiln-test";
  private static final String SECRET_ACCESS_KEY = "kiln-test-secret";
  private static final AtomicInteger BUCKETS = new AtomicInteger();

  private static BlobStoreContext blobs;
  private static S3Proxy server;
  private static URI endpoint;
  private static S3Client admin;

  private String bucket;

  @BeforeAll
  static void startServer() throws Exception {
    blobs = ContextBuilder.newBuilder("transient").build(BlobStoreContext.class);
    server = S3Proxy.builder()
        .blobStore(blobs.getBlobStore())
        .endpoint(URI.create("http://127.0.0.1:0"))
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY_ID, SECRET_ACCESS_KEY)
        .build();
    server.start();
    endpoint = URI.create("http://127.0.0.1:" + server.getPort());
    admin = S3Client.builder()
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .endpointOverride(endpoint)
        .region(Region.US_EAST_1)
        .forcePathStyle(true)
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(ACCESS_KEY_ID, SECRET_ACCESS_KEY)))
        .build();
  }

  @AfterAll
  static void stopServer() throws Exception {
    admin.close();
    server.stop();
    blobs.close();
  }

  /** A store on a bucket of its own, opened from the environment variables a gateway would have. */
  @Override
  ResultObjects openEmptyStore() {
    bucket = "results-" + BUCKETS.incrementAndGet();
    admin.createBucket(request -> request.bucket(bucket));
    return ResultObjects.open(ResultObjectsSettings.fromEnvironment(environment(Map.of())));
  }

  @Test
  void theContentTypeIsTheObjectsOwn() {
    store.put(KEY, randomBytes(1_000, 1), "image/webp");

    assertThat(admin.headObject(request -> request.bucket(bucket).key(KEY)).contentType()).isEqualTo("image/webp");
  }

  @Test
  void objectsLiveUnderThePrefix() {
    byte[] image = randomBytes(1_000, 1);
    try (ResultObjects prefixed = ResultObjects.open(ResultObjectsSettings.fromEnvironment(
        environment(Map.of("KILN_GATEWAY_S3_PREFIX", "gateway/results/"))))) {

      prefixed.put("model-a/" + KEY, image, "image/png");

      assertThat(admin.listObjectsV2(request -> request.bucket(bucket)).contents())
          .extracting(S3Object::key).containsExactly("gateway/results/model-a/" + KEY);
      assertThat(admin.getObjectAsBytes(request -> request.bucket(bucket).key("gateway/results/model-a/" + KEY))
          .asByteArray()).isEqualTo(image);
      assertThat(prefixed.get("model-a/" + KEY).orElseThrow().bytes()).isEqualTo(image);
      assertThat(store.get("model-a/" + KEY)).isEmpty();
    }
  }

  @Test
  void anObjectPutByOtherMeansWithoutAContentTypeIsReadAsBytes() {
    admin.putObject(request -> request.bucket(bucket).key(KEY), RequestBody.fromBytes(bytes("x")));

    StoredObject stored = store.get(KEY).orElseThrow();
    assertThat(stored.bytes()).isEqualTo(bytes("x"));
    assertThat(stored.contentType()).endsWith("/octet-stream");
  }

  @Test
  void aWrongSecretFailsEveryOperation() {
    try (ResultObjects wrongSecret = ResultObjects.open(ResultObjectsSettings.fromEnvironment(
        environment(Map.of("KILN_GATEWAY_S3_SECRET_ACCESS_KEY", "not-the-secret"))))) {

      assertThatThrownBy(() -> wrongSecret.put(KEY, bytes("x"), "text/plain"))
          .isInstanceOf(UncheckedIOException.class).hasMessageContaining(bucket);
      assertThatThrownBy(() -> wrongSecret.get(KEY)).isInstanceOf(UncheckedIOException.class);
      assertThatThrownBy(() -> wrongSecret.delete(KEY)).isInstanceOf(UncheckedIOException.class);
    }
    assertThat(store.get(KEY)).isEmpty();
  }

  @Test
  void aMissingBucketIsAFailureNotAMissingObject() {
    try (ResultObjects noBucket = ResultObjects.open(ResultObjectsSettings.fromEnvironment(
        environment(Map.of("KILN_GATEWAY_S3_BUCKET", "no-such-bucket"))))) {

      assertThatThrownBy(() -> noBucket.get(KEY))
          .isInstanceOf(UncheckedIOException.class).hasMessageContaining("no-such-bucket");
    }
  }

  @Test
  void itDescribesItsBucketPrefixEndpointAndAddressing() {
    try (ResultObjects prefixed = ResultObjects.open(ResultObjectsSettings.fromEnvironment(
        environment(Map.of("KILN_GATEWAY_S3_PREFIX", "gateway/results"))))) {

      assertThat(prefixed.describe()).isEqualTo("results in S3 bucket " + bucket + " under gateway/results/ at "
          + endpoint + " (path-style)");
    }
  }

  /** The variables that point a gateway at this test's bucket, with {@code overrides}. */
  private Map<String, String> environment(Map<String, String> overrides) {
    Map<String, String> env = new HashMap<>(Map.of(
        "KILN_GATEWAY_RESULTS_STORE", "s3",
        "KILN_GATEWAY_S3_ENDPOINT", endpoint.toString(),
        "KILN_GATEWAY_S3_BUCKET", bucket,
        "KILN_GATEWAY_S3_PATH_STYLE", "true",
        "KILN_GATEWAY_S3_ACCESS_KEY_ID", ACCESS_KEY_ID,
        "KILN_GATEWAY_S3_SECRET_ACCESS_KEY", SECRET_ACCESS_KEY));
    env.putAll(overrides);
    return env;
  }
}
