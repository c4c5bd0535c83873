package dev.kiln.gateway.results;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Results kept in an S3 bucket, on AWS or any S3-compatible server (MinIO, Ceph, R2, ...).
 *
 * @param endpoint the server's URL, e.g. {@code http://minio.storage:9000}; empty for AWS itself
 * @param region the region requests are signed for; S3-compatible servers mostly accept any, often {@code us-east-1}
 * @param bucket the bucket, which must exist
 * @param prefix a {@linkplain ResultKeys key-like} prefix every object's name starts with, followed by {@code /}; a
 *     trailing {@code /} given here is dropped
 * @param pathStyle whether the bucket goes in the URL's path ({@code http://host/bucket/key}) instead of its host
 *     name ({@code http://bucket.host/key}), as most S3-compatible servers need
 * @param credentials the access key to sign with; empty for the SDK's default chain (environment, profile, web
 *     identity, instance or pod role)
 * @see S3ResultObjects
 */
public record S3Settings(
    Optional<URI> endpoint,
    String region,
    String bucket,
    Optional<String> prefix,
    boolean pathStyle,
    Optional<Credentials> credentials) implements ResultObjectsSettings {

  /** The shape S3 requires of bucket names. */
  private static final Pattern BUCKET_NAME = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

  /** A static access key. */
  public record Credentials(String accessKeyId, String secretAccessKey) {

    public Credentials {
      Objects.requireNonNull(accessKeyId, "accessKeyId");
      Objects.requireNonNull(secretAccessKey, "secretAccessKey");
    }

    /** Names the key but keeps its secret out of logs. */
    @Override
    public String toString() {
      return "Credentials[accessKeyId=" + accessKeyId + ", secretAccessKey=(hidden)]";
    }
  }

  public S3Settings {
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(credentials, "credentials");
    endpoint.ifPresent(S3Settings::requireHttpUrl);
    if (region.isBlank()) {
      throw new IllegalArgumentException("an S3 region must not be blank");
    }
    requireBucketName(bucket);
    prefix = prefix.map(S3Settings::normalizedPrefix);
  }

  static URI requireHttpUrl(URI endpoint) {
    String scheme = endpoint.getScheme();
    if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
        || endpoint.getHost() == null) {
      throw new IllegalArgumentException("an S3 endpoint must be an http or https URL such as "
          + "http://minio.storage:9000, got '" + endpoint + "'");
    }
    return endpoint;
  }

  static String requireBucketName(String bucket) {
    Objects.requireNonNull(bucket, "bucket");
    if (!BUCKET_NAME.matcher(bucket).matches()) {
      throw new IllegalArgumentException("an S3 bucket name is 3 to 63 lower-case letters, digits, '.' and '-', "
          + "starting and ending with a letter or digit, got '" + bucket + "'");
    }
    return bucket;
  }

  /** {@code prefix} without a trailing {@code /}, when it is a valid key. */
  static String normalizedPrefix(String prefix) {
    return ResultKeys.requireValid(prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix);
  }
}
