package dev.kiln.gateway.auth;

import dev.kiln.crds.apikey.ApiKey;
import dev.kiln.crds.apikey.ApiKeySpec;
import dev.kiln.crds.apikey.KeyPriority;
import dev.kiln.crds.common.SecretKeySelector;
import dev.kiln.gateway.auth.Refusal.Reason;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An immutable snapshot of the ApiKeys the gateway accepts, answering who presented a key.
 *
 * <p>A caller sends {@code Authorization: Key <key>}. When the key contains a colon and the text
 * before the first colon contains a slash, it is {@code <namespace>/<ApiKey name>:<secret>};
 * otherwise the whole key is the secret. The secret is the value under the ApiKey's
 * {@code spec.secretRef}. Only SHA-256 digests of secrets are kept: a key id selects its ApiKey
 * and the digests are compared with {@link MessageDigest#isEqual} (constant time); a bare secret
 * is looked up by its digest, so no comparison runs against any secret and timing reveals
 * nothing about one.
 */
public final class KeyRegistry {

  private static final String SCHEME = "key ";
  private static final Pattern KEY_ID = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?/[a-z0-9]([-.a-z0-9]{0,251}[a-z0-9])?");
  private static final KeyRegistry EMPTY = new KeyRegistry(Map.of(), Map.of(), Set.of());

  private final Map<String, Entry> byId;
  private final Map<String, List<Entry>> bySecretDigest;
  private final Set<String> referencedSecrets;

  private KeyRegistry(Map<String, Entry> byId, Map<String, List<Entry>> bySecretDigest, Set<String> referencedSecrets) {
    this.byId = byId;
    this.bySecretDigest = bySecretDigest;
    this.referencedSecrets = referencedSecrets;
  }

  /** A registry that refuses every key. */
  public static KeyRegistry empty() {
    return EMPTY;
  }

  /** The registry for {@code keys}, their secrets read from {@code secrets}. */
  public static KeyRegistry of(Collection<ApiKey> keys, SecretSource secrets) {
    Map<String, Entry> byId = new HashMap<>();
    Map<String, List<Entry>> bySecretDigest = new HashMap<>();
    Set<String> referencedSecrets = new HashSet<>();
    for (ApiKey apiKey : keys) {
      Entry entry = entry(apiKey, secrets);
      byId.put(entry.key.id(), entry);
      if (entry.secretDigest != null) {
        bySecretDigest.computeIfAbsent(HexFormat.of().formatHex(entry.secretDigest), d -> new ArrayList<>()).add(entry);
      }
      SecretKeySelector ref = apiKey.getSpec().getSecretRef();
      if (ref != null && ref.getName() != null) {
        referencedSecrets.add(apiKey.getMetadata().getNamespace() + "/" + ref.getName());
      }
    }
    return new KeyRegistry(Map.copyOf(byId), Map.copyOf(bySecretDigest), Set.copyOf(referencedSecrets));
  }

  /** Checks an {@code Authorization} header value ({@code null} when the request has none). */
  public Authentication authenticate(String authorization) {
    if (authorization == null || authorization.isBlank()) {
      return refused(Reason.MISSING_KEY, "missing API key: send the header 'Authorization: Key <key>'");
    }
    String header = authorization.strip();
    if (!header.toLowerCase(Locale.ROOT).startsWith(SCHEME) || header.substring(SCHEME.length()).isBlank()) {
      return refused(Reason.MALFORMED_KEY, "malformed Authorization header: expected 'Key <key>'");
    }
    String key = header.substring(SCHEME.length()).strip();
    int colon = key.indexOf(':');
    if (colon > 0 && key.substring(0, colon).contains("/")) {
      return byId(key.substring(0, colon), digest(key.substring(colon + 1)));
    }
    return bySecret(digest(key));
  }

  /** Whether {@code key} may call the model {@code owner/app}; refused with 403 when not. */
  public Authentication authorize(AuthenticatedKey key, String owner, String app) {
    if (key.mayCall(owner, app)) {
      return new Authentication.Accepted(key);
    }
    String why = key.namespace().equals(owner)
        ? "it is not in the key's spec.models"
        : "the key reaches only models in namespace " + key.namespace();
    return refused(Reason.MODEL_NOT_ALLOWED,
        "API key " + key.id() + " may not call model " + owner + "/" + app + ": " + why);
  }

  /** The ids ({@code namespace/name}) of every ApiKey, usable or not, with their rate limits. */
  public Map<String, RateLimitSpec> rateLimits() {
    Map<String, RateLimitSpec> limits = new HashMap<>();
    byId.forEach((id, entry) -> limits.put(id, entry.key.rateLimit()));
    return Map.copyOf(limits);
  }

  /** ApiKeys that cannot be used, by id, with what to fix. */
  public Map<String, String> unusableKeys() {
    Map<String, String> unusable = new HashMap<>();
    byId.forEach((id, entry) -> {
      if (entry.problem != null) {
        unusable.put(id, entry.problem);
      }
    });
    return Map.copyOf(unusable);
  }

  /** The Secrets ({@code namespace/name}) some ApiKey references; changes to others do not matter. */
  public boolean referencesSecret(String namespace, String name) {
    return referencedSecrets.contains(namespace + "/" + name);
  }

  /** How many ApiKeys the registry holds. */
  public int size() {
    return byId.size();
  }

  @Override
  public String toString() {
    return "KeyRegistry[keys=" + byId.keySet() + "]";
  }

  private Authentication byId(String id, byte[] presentedDigest) {
    Entry entry = byId.get(id);
    if (entry == null) {
      // Named only when it looks like a key id: text before a colon could be part of a secret.
      return refused(Reason.UNKNOWN_KEY, KEY_ID.matcher(id).matches() ? "unknown API key " + id : "unknown API key");
    }
    if (entry.secretDigest == null) {
      return refused(Reason.KEY_NOT_USABLE, "API key " + id
          + " cannot be used: the Secret key named by its spec.secretRef is missing");
    }
    if (!MessageDigest.isEqual(entry.secretDigest, presentedDigest)) {
      return refused(Reason.WRONG_SECRET, "wrong secret for API key " + id);
    }
    return accepted(entry);
  }

  private Authentication bySecret(byte[] presentedDigest) {
    List<Entry> entries = bySecretDigest.get(HexFormat.of().formatHex(presentedDigest));
    if (entries == null) {
      return refused(Reason.UNKNOWN_KEY, "unknown API key");
    }
    if (entries.size() > 1) {
      return refused(Reason.AMBIGUOUS_KEY,
          "this secret belongs to more than one ApiKey: send it as '<namespace>/<ApiKey name>:<secret>'");
    }
    return accepted(entries.getFirst());
  }

  private static Authentication accepted(Entry entry) {
    if (entry.disabled) {
      return refused(Reason.KEY_DISABLED, "API key " + entry.key.id() + " is disabled (spec.disabled)");
    }
    return new Authentication.Accepted(entry.key);
  }

  private static Authentication refused(Reason reason, String detail) {
    return new Authentication.Refused(new Refusal(reason, detail));
  }

  private static Entry entry(ApiKey apiKey, SecretSource secrets) {
    ApiKeySpec spec = apiKey.getSpec();
    String namespace = apiKey.getMetadata().getNamespace();
    AuthenticatedKey key = new AuthenticatedKey(namespace, apiKey.getMetadata().getName(),
        spec.getModels() == null ? Set.of() : Set.copyOf(spec.getModels()),
        spec.getPriority() == null ? KeyPriority.INTERACTIVE : spec.getPriority(),
        RateLimitSpec.of(spec.getRateLimit()), SpendLimit.of(spec.getSpendCap()));
    boolean disabled = Boolean.TRUE.equals(spec.getDisabled());
    SecretKeySelector ref = spec.getSecretRef();
    if (ref == null || ref.getName() == null) {
      return new Entry(key, disabled, null, "spec.secretRef names no Secret");
    }
    String dataKey = ref.getKey() == null ? "key" : ref.getKey();
    Optional<Map<String, byte[]>> data = secrets.data(namespace, ref.getName());
    if (data.isEmpty()) {
      return new Entry(key, disabled, null, "Secret " + namespace + "/" + ref.getName() + " not found");
    }
    byte[] secret = data.get().get(dataKey);
    if (secret == null || secret.length == 0) {
      return new Entry(key, disabled, null,
          "Secret " + namespace + "/" + ref.getName() + " has no value under key '" + dataKey + "'");
    }
    return new Entry(key, disabled, digest(secret), null);
  }

  private static byte[] digest(String secret) {
    return digest(secret.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] digest(byte[] secret) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(secret);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** One ApiKey: what it grants, and the digest of its secret ({@code null} with a problem when unusable). */
  private record Entry(AuthenticatedKey key, boolean disabled, byte[] secretDigest, String problem) {
    @Override
    public String toString() {
      return "Entry[" + key.id() + ", disabled=" + disabled + ", secret=<redacted>, problem=" + problem + "]";
    }
  }
}
