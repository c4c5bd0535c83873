package dev.kiln.runtime;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The runtime's settings, from its environment (the operator sets them on the worker pod):
 * <ul>
 *   <li>{@code KILN_BIND_ADDRESS}: address to listen on; {@code POD_IP} when unset, else 0.0.0.0</li>
 *   <li>{@code KILN_PORT}: port, 8080 by default</li>
 *   <li>{@code KILN_CACHE_DIR}: the node-local model cache, /var/cache/kiln/models by default</li>
 *   <li>{@code KILN_CACHE_MAX_BYTES}: cache limit, bytes or a quantity such as 200Gi (the default)</li>
 *   <li>{@code KILN_SHUTDOWN_GRACE_SECONDS}: how long SIGTERM waits for in-flight work, 30 by default</li>
 *   <li>{@code KILN_MAX_REQUEST_BYTES}: largest request body, bytes or a quantity, 64Mi by default</li>
 *   <li>{@code KILN_EXECUTION_THREADS}: inferences run at once (others wait in order), the number of cores by default</li>
 * </ul>
 */
public record RuntimeConfig(String bindAddress, int port, Path cacheDirectory, long cacheMaxBytes,
    Duration shutdownGrace, long maxRequestBytes, int executionThreads) {

  private static final Pattern QUANTITY = Pattern.compile("(\\d+)(Ki|Mi|Gi|Ti|k|M|G|T)?");

  /** A setting has a value the runtime cannot use; the message names it and says what is expected. */
  public static final class InvalidConfigException extends Exception {

    private static final long serialVersionUID = 1L;

    InvalidConfigException(String message) {
      super(message);
    }
  }

  public static RuntimeConfig fromEnvironment(Map<String, String> env) throws InvalidConfigException {
    String bind = env.getOrDefault("KILN_BIND_ADDRESS", env.getOrDefault("POD_IP", "0.0.0.0"));
    int port = integer(env, "KILN_PORT", 8080);
    if (port < 1 || port > 65535) {
      throw new InvalidConfigException("KILN_PORT must be a port number from 1 to 65535, got " + port);
    }
    Path cache = Path.of(env.getOrDefault("KILN_CACHE_DIR", "/var/cache/kiln/models"));
    long cacheMax = bytes("KILN_CACHE_MAX_BYTES", env.getOrDefault("KILN_CACHE_MAX_BYTES", "200Gi"));
    long maxRequest = bytes("KILN_MAX_REQUEST_BYTES", env.getOrDefault("KILN_MAX_REQUEST_BYTES", "64Mi"));
    int grace = integer(env, "KILN_SHUTDOWN_GRACE_SECONDS", 30);
    if (grace < 0) {
      throw new InvalidConfigException("KILN_SHUTDOWN_GRACE_SECONDS must not be negative, got " + grace);
    }
    int executionThreads = integer(env, "KILN_EXECUTION_THREADS", Runtime.getRuntime().availableProcessors());
    if (executionThreads < 1) {
      throw new InvalidConfigException("KILN_EXECUTION_THREADS must be 1 or more, got " + executionThreads);
    }
    return new RuntimeConfig(bind, port, cache, cacheMax, Duration.ofSeconds(grace), maxRequest, executionThreads);
  }

  static long bytes(String name, String quantity) throws InvalidConfigException {
    Matcher matcher = QUANTITY.matcher(quantity.trim());
    if (!matcher.matches()) {
      throw new InvalidConfigException(
          name + " must be bytes or a quantity such as 500Mi or 200Gi, got \"" + quantity + "\"");
    }
    long value = Long.parseLong(matcher.group(1));
    String unit = matcher.group(2) == null ? "" : matcher.group(2);
    long multiplier = switch (unit) {
      case "Ki" -> 1L << 10;
      case "Mi" -> 1L << 20;
      case "Gi" -> 1L << 30;
      case "Ti" -> 1L << 40;
      case "k" -> 1_000L;
      case "M" -> 1_000_000L;
      case "G" -> 1_000_000_000L;
      case "T" -> 1_000_000_000_000L;
      default -> 1L;
    };
    return Math.multiplyExact(value, multiplier);
  }

  private static int integer(Map<String, String> env, String name, int fallback) throws InvalidConfigException {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new InvalidConfigException(name + " must be a whole number, got \"" + value + "\"");
    }
  }
}
