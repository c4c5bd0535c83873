package dev.kiln.gateway.auth;

import java.util.Map;
import java.util.Optional;

/** Reads Secrets for the key registry. */
@FunctionalInterface
public interface SecretSource {

  /** The decoded data of Secret {@code namespace/name}, or empty when there is no such Secret. */
  Optional<Map<String, byte[]>> data(String namespace, String name);
}
