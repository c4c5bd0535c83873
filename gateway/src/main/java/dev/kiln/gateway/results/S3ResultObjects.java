package dev.kiln.gateway.results;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Keeps result objects in an S3 bucket, on AWS or an S3-compatible server: for gateways with no persistent volume, or
 * whose results should outlive the cluster. An object's content type is its S3 {@code Content-Type}, so the bucket
 * can serve it as it is.
 */
public final class S3ResultObjects implements ResultObjects {

  /** What an object put in the bucket by other means, without a content type, is served as. */
  private static final String UNTYPED = "application/octet-stream";

  private final S3Client client;
  private final String bucket;
  private final String keyPrefix;
  private final String description;

  /** Connects as {@code settings} say; the bucket must exist. */
  public S3ResultObjects(S3Settings settings) {
    S3ClientBuilder builder = S3Client.builder()
        // The JDK's HTTP client: the SDK's Apache and Netty clients would add megabytes to the gateway for no gain.
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .region(Region.of(settings.region()))
        .forcePathStyle(settings.pathStyle())
        // The SDK's default flexible checksums (trailing CRC headers, checksum mode on reads) are refused by many
        // S3-compatible servers; S3 only requires them for a few operations this store does not use.
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .credentialsProvider(credentials(settings));
    settings.endpoint().ifPresent(builder::endpointOverride);
    this.client = builder.build();
    this.bucket = settings.bucket();
    this.keyPrefix = settings.prefix().map(prefix -> prefix + "/").orElse("");
    this.description = "results in S3 bucket " + bucket + (keyPrefix.isEmpty() ? "" : " under " + keyPrefix)
        + settings.endpoint().map(endpoint -> " at " + endpoint).orElse(" in AWS region " + settings.region())
        + (settings.pathStyle() ? " (path-style)" : "");
  }

  @Override
  public void put(String key, byte[] bytes, String contentType) {
    String name = objectName(key);
    StoredObject.requireValidContentType(contentType);
    try {
      client.putObject(request -> request.bucket(bucket).key(name).contentType(contentType),
          RequestBody.fromBytes(bytes));
    } catch (SdkException e) {
      throw failure("store result " + name, e);
    }
  }

  @Override
  public Optional<StoredObject> get(String key) {
    String name = objectName(key);
    try {
      ResponseBytes<GetObjectResponse> object = client.getObjectAsBytes(request -> request.bucket(bucket).key(name));
      String contentType = Optional.ofNullable(object.response().contentType()).orElse(UNTYPED);
      return Optional.of(new StoredObject(contentType, object.asByteArrayUnsafe()));
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (SdkException e) {
      throw failure("read result " + name, e);
    }
  }

  @Override
  public void delete(String key) {
    String name = objectName(key);
    try {
      client.deleteObject(request -> request.bucket(bucket).key(name));
    } catch (SdkException e) {
      throw failure("delete result " + name, e);
    }
  }

  @Override
  public String describe() {
    return description;
  }

  @Override
  public void close() {
    client.close();
  }

  private String objectName(String key) {
    return keyPrefix + ResultKeys.requireValid(key);
  }

  private UncheckedIOException failure(String action, SdkException e) {
    return new UncheckedIOException("cannot " + action + " in S3 bucket " + bucket,
        new IOException(e.getMessage(), e));
  }

  private static AwsCredentialsProvider credentials(S3Settings settings) {
    return settings.credentials()
        .<AwsCredentialsProvider>map(key -> StaticCredentialsProvider.create(
            AwsBasicCredentials.create(key.accessKeyId(), key.secretAccessKey())))
        .orElseGet(() -> DefaultCredentialsProvider.builder().build());
  }
}
