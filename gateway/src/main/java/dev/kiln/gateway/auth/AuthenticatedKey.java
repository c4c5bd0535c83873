package dev.kiln.gateway.auth;

import dev.kiln.crds.apikey.KeyPriority;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * An ApiKey whose secret the caller presented correctly. Holds no secret.
 *
 * @param namespace the ApiKey's namespace; the key reaches models in this namespace only
 * @param name the ApiKey's name
 * @param models names of the models the key may call; empty means every model of its namespace
 * @param priority queue priority of the key's requests
 * @param rateLimit the key's token bucket
 * @param spendCap the most it may spend in a period, if anything
 */
public record AuthenticatedKey(String namespace, String name, Set<String> models, KeyPriority priority,
    RateLimitSpec rateLimit, Optional<SpendLimit> spendCap) {

  public AuthenticatedKey {
    models = Set.copyOf(models);
    Objects.requireNonNull(spendCap, "spendCap");
  }

  /** The key id callers send before the colon, {@code <namespace>/<name>}; also the metering label. */
  public String id() {
    return namespace + "/" + name;
  }

  /** Whether the key may call the model {@code owner/app}, i.e. the Model {@code app} in namespace {@code owner}. */
  public boolean mayCall(String owner, String app) {
    return namespace.equals(owner) && (models.isEmpty() || models.contains(app));
  }
}
