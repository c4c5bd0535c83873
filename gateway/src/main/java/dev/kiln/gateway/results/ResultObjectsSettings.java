package dev.kiln.gateway.results;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** Which store keeps large results, and where: {@link FileSystemSettings} or {@link S3Settings}. */
public sealed interface ResultObjectsSettings permits FileSystemSettings, S3Settings {

  /**
   * The store the gateway's environment asks for: {@code KILN_GATEWAY_RESULTS_STORE} is {@code filesystem} (the
   * default), which keeps results in {@code KILN_GATEWAY_RESULTS_DIR}, or {@code s3}, set by the
   * {@code KILN_GATEWAY_S3_*} variables. A missing or wrong value is refused with a message naming its variable.
   */
  static ResultObjectsSettings fromEnvironment(Map<String, String> env) {
    String store = value(env, "KILN_GATEWAY_RESULTS_STORE").orElse("filesystem");
    return switch (store.toLowerCase(Locale.ROOT)) {
      case "filesystem" -> new FileSystemSettings(Path.of(value(env, "KILN_GATEWAY_RESULTS_DIR")
          .orElse(System.getProperty("java.io.tmpdir") + "/kiln-gateway/results")));
      case "s3" -> s3(env);
      default -> throw new IllegalArgumentException("KILN_GATEWAY_RESULTS_STORE must be filesystem or s3, got '"
          + store + "'");
    };
  }

  private static S3Settings s3(Map<String, String> env) {
    String bucket = parsed(env, "KILN_GATEWAY_S3_BUCKET", S3Settings::requireBucketName).orElseThrow(
        () -> new IllegalArgumentException("KILN_GATEWAY_S3_BUCKET must name the bucket for results when "
            + "KILN_GATEWAY_RESULTS_STORE is s3"));
    Optional<String> accessKeyId = value(env, "KILN_GATEWAY_S3_ACCESS_KEY_ID");
    Optional<String> secretAccessKey = value(env, "KILN_GATEWAY_S3_SECRET_ACCESS_KEY");
    if (accessKeyId.isPresent() != secretAccessKey.isPresent()) {
      throw new IllegalArgumentException("set both KILN_GATEWAY_S3_ACCESS_KEY_ID and KILN_GATEWAY_S3_SECRET_ACCESS_KEY, "
          + "or neither for the AWS SDK's default credentials (environment, profile, web identity, instance role)");
    }
    return new S3Settings(
        parsed(env, "KILN_GATEWAY_S3_ENDPOINT", ResultObjectsSettings::httpUrl),
        value(env, "KILN_GATEWAY_S3_REGION").orElse("us-east-1"),
        bucket,
        parsed(env, "KILN_GATEWAY_S3_PREFIX", S3Settings::normalizedPrefix),
        parsed(env, "KILN_GATEWAY_S3_PATH_STYLE", ResultObjectsSettings::trueOrFalse).orElse(false),
        accessKeyId.map(id -> new S3Settings.Credentials(id, secretAccessKey.orElseThrow())));
  }

  private static Optional<String> value(Map<String, String> env, String name) {
    return Optional.ofNullable(env.get(name)).map(String::trim).filter(s -> !s.isEmpty());
  }

  /** The variable's value read by {@code parse}, whose refusal is passed on naming the variable. */
  private static <T> Optional<T> parsed(Map<String, String> env, String name, Function<String, T> parse) {
    Optional<String> value = value(env, name);
    try {
      return value.map(parse);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
    }
  }

  private static URI httpUrl(String text) {
    try {
      return S3Settings.requireHttpUrl(new URI(text));
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("an S3 endpoint must be an http or https URL such as "
          + "http://minio.storage:9000, got '" + text + "': " + e.getReason(), e);
    }
  }

  private static boolean trueOrFalse(String text) {
    return switch (text.toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException("must be true or false, got '" + text + "'");
    };
  }
}
