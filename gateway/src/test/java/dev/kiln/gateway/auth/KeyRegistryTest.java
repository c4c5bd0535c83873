package dev.kiln.gateway.auth;

import static dev.kiln.gateway.auth.ApiKeys.apiKey;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.crds.apikey.ApiKey;
import dev.kiln.crds.apikey.KeyPriority;
import dev.kiln.crds.apikey.RateLimit;
import dev.kiln.gateway.auth.Refusal.Reason;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KeyRegistryTest {

  private static final String SECRET = "s3cr3t-value-0123456789";

  private final Map<String, Map<String, byte[]>> secrets = new HashMap<>();

  private void secret(String namespace, String name, String key, String value) {
    secrets.computeIfAbsent(namespace + "/" + name, n -> new HashMap<>()).put(key, value.getBytes(StandardCharsets.UTF_8));
  }

  private KeyRegistry registry(ApiKey... keys) {
    return KeyRegistry.of(List.of(keys), (namespace, name) -> Optional.ofNullable(secrets.get(namespace + "/" + name)));
  }

  private KeyRegistry teamA() {
    secret("team-a", "ci-key", "key", SECRET);
    return registry(apiKey("team-a", "ci", "ci-key", "key"));
  }

  @Test
  void acceptsKeyIdAndSecret() {
    Authentication result = teamA().authenticate("Key team-a/ci:" + SECRET);

    assertThat(result).isInstanceOfSatisfying(Authentication.Accepted.class, accepted -> {
      assertThat(accepted.key().id()).isEqualTo("team-a/ci");
      assertThat(accepted.key().namespace()).isEqualTo("team-a");
      assertThat(accepted.key().models()).isEmpty();
      assertThat(accepted.key().priority()).isEqualTo(KeyPriority.INTERACTIVE);
      assertThat(accepted.key().rateLimit()).isEqualTo(RateLimitSpec.DEFAULT);
    });
  }

  @Test
  void acceptsBareSecretAndAnyCaseOfTheScheme() {
    KeyRegistry registry = teamA();

    assertThat(registry.authenticate("Key " + SECRET)).isInstanceOf(Authentication.Accepted.class);
    assertThat(registry.authenticate("  key   " + SECRET + " ")).isInstanceOf(Authentication.Accepted.class);
  }

  @Test
  void acceptsBareSecretThatContainsAColon() {
    secret("team-a", "fal-style", "key", "8f1c:abcdef");
    KeyRegistry registry = registry(apiKey("team-a", "fal", "fal-style", "key"));

    assertThat(registry.authenticate("Key 8f1c:abcdef")).isInstanceOf(Authentication.Accepted.class);
  }

  @Test
  void readsTheSecretUnderTheKeyTheSpecNames() {
    secret("team-a", "keys", "other", "not-it");
    secret("team-a", "keys", "ci", SECRET);
    KeyRegistry registry = registry(apiKey("team-a", "ci", "keys", "ci"));

    assertThat(registry.authenticate("Key team-a/ci:" + SECRET)).isInstanceOf(Authentication.Accepted.class);
    assertReason(registry.authenticate("Key team-a/ci:not-it"), Reason.WRONG_SECRET);
  }

  @Test
  void refusesMissingHeader() {
    assertReason(teamA().authenticate(null), Reason.MISSING_KEY);
    assertReason(teamA().authenticate("  "), Reason.MISSING_KEY);
  }

  @Test
  void refusesOtherSchemesAndEmptyKeys() {
    assertReason(teamA().authenticate("Bearer " + SECRET), Reason.MALFORMED_KEY);
    assertReason(teamA().authenticate(SECRET), Reason.MALFORMED_KEY);
    assertReason(teamA().authenticate("Key "), Reason.MALFORMED_KEY);
  }

  @Test
  void refusesUnknownKeyIdAndUnknownBareSecret() {
    assertReason(teamA().authenticate("Key team-a/other:" + SECRET), Reason.UNKNOWN_KEY);
    assertReason(teamA().authenticate("Key team-b/ci:" + SECRET), Reason.UNKNOWN_KEY);
    assertReason(teamA().authenticate("Key not-a-key"), Reason.UNKNOWN_KEY);
  }

  @Test
  void namesAnUnknownKeyIdOnlyWhenItLooksLikeOne() {
    Authentication named = teamA().authenticate("Key team-a/other:" + SECRET);
    Authentication unnamed = teamA().authenticate("Key Part/Of+A/Secret:rest");

    assertThat(named).isEqualTo(new Authentication.Refused(new Refusal(Reason.UNKNOWN_KEY, "unknown API key team-a/other")));
    assertThat(unnamed).isEqualTo(new Authentication.Refused(new Refusal(Reason.UNKNOWN_KEY, "unknown API key")));
  }

  @Test
  void refusesSecretsThatDifferOnlyAtTheEndOrInLength() {
    KeyRegistry registry = teamA();
    String lastCharChanged = SECRET.substring(0, SECRET.length() - 1) + "X";

    for (String wrong : List.of(lastCharChanged, SECRET.substring(0, SECRET.length() - 1), SECRET + "0", "", " ")) {
      assertReason(registry.authenticate("Key team-a/ci:" + wrong), Reason.WRONG_SECRET);
    }
    assertReason(registry.authenticate("Key " + lastCharChanged), Reason.UNKNOWN_KEY);
    assertReason(registry.authenticate("Key " + SECRET.toUpperCase()), Reason.UNKNOWN_KEY);
  }

  @Test
  void refusesTheSecretOfAnotherKeyUnderThisKeysId() {
    secret("team-a", "ci-key", "key", SECRET);
    secret("team-a", "other-key", "key", "other-secret");
    KeyRegistry registry = registry(apiKey("team-a", "ci", "ci-key", "key"), apiKey("team-a", "other", "other-key", "key"));

    assertReason(registry.authenticate("Key team-a/ci:other-secret"), Reason.WRONG_SECRET);
    assertThat(registry.authenticate("Key other-secret")).isInstanceOfSatisfying(Authentication.Accepted.class,
        accepted -> assertThat(accepted.key().id()).isEqualTo("team-a/other"));
  }

  @Test
  void refusesADisabledKeyOnlyAfterItsSecretMatched() {
    secret("team-a", "ci-key", "key", SECRET);
    ApiKey key = apiKey("team-a", "ci", "ci-key", "key");
    key.getSpec().setDisabled(true);
    KeyRegistry registry = registry(key);

    assertReason(registry.authenticate("Key team-a/ci:" + SECRET), Reason.KEY_DISABLED);
    assertReason(registry.authenticate("Key " + SECRET), Reason.KEY_DISABLED);
    assertReason(registry.authenticate("Key team-a/ci:wrong"), Reason.WRONG_SECRET);
  }

  @Test
  void refusesAKeyWhoseSecretIsMissingAndSaysWhatToFix() {
    secret("team-a", "empty", "other", "x");
    KeyRegistry registry = registry(apiKey("team-a", "gone", "no-such-secret", "key"), apiKey("team-a", "nokey", "empty", "key"));

    assertReason(registry.authenticate("Key team-a/gone:anything"), Reason.KEY_NOT_USABLE);
    assertReason(registry.authenticate("Key team-a/nokey:anything"), Reason.KEY_NOT_USABLE);
    assertThat(registry.unusableKeys()).containsOnly(
        Map.entry("team-a/gone", "Secret team-a/no-such-secret not found"),
        Map.entry("team-a/nokey", "Secret team-a/empty has no value under key 'key'"));
  }

  @Test
  void refusesABareSecretSharedByTwoKeysButAcceptsItWithAKeyId() {
    secret("team-a", "shared", "key", SECRET);
    KeyRegistry registry = registry(apiKey("team-a", "one", "shared", "key"), apiKey("team-a", "two", "shared", "key"));

    assertReason(registry.authenticate("Key " + SECRET), Reason.AMBIGUOUS_KEY);
    assertThat(registry.authenticate("Key team-a/two:" + SECRET)).isInstanceOf(Authentication.Accepted.class);
  }

  @Test
  void refusalsAndToStringNeverContainTheSecret() {
    KeyRegistry registry = teamA();
    String wrong = "wrong-" + SECRET;

    for (String header : List.of("Key team-a/ci:" + wrong, "Key " + wrong, "Bearer " + SECRET, "Key team-b/x:" + SECRET)) {
      Authentication result = registry.authenticate(header);
      assertThat(result).isInstanceOfSatisfying(Authentication.Refused.class, refused -> {
        assertThat(refused.refusal().status()).isEqualTo(401);
        assertThat(refused.refusal().detail()).doesNotContain(SECRET);
      });
    }
    assertThat(registry.toString()).doesNotContain(SECRET);
    assertThat(registry.authenticate("Key " + SECRET).toString()).doesNotContain(SECRET);
  }

  @Test
  void keyReachesOnlyItsNamespaceAndListedModels() {
    secret("team-a", "ci-key", "key", SECRET);
    KeyRegistry registry = registry(apiKey("team-a", "ci", "ci-key", "key", List.of("rmbg", "sdxl")));
    AuthenticatedKey key = ((Authentication.Accepted) registry.authenticate("Key " + SECRET)).key();

    assertThat(registry.authorize(key, "team-a", "rmbg")).isEqualTo(new Authentication.Accepted(key));
    assertThat(registry.authorize(key, "team-a", "whisper")).isInstanceOfSatisfying(Authentication.Refused.class, refused -> {
      assertThat(refused.refusal().status()).isEqualTo(403);
      assertThat(refused.refusal().detail()).isEqualTo(
          "API key team-a/ci may not call model team-a/whisper: it is not in the key's spec.models");
    });
    assertThat(registry.authorize(key, "team-b", "rmbg")).isInstanceOfSatisfying(Authentication.Refused.class, refused ->
        assertThat(refused.refusal().detail()).isEqualTo(
            "API key team-a/ci may not call model team-b/rmbg: the key reaches only models in namespace team-a"));
  }

  @Test
  void keyWithoutModelsReachesEveryModelOfItsNamespace() {
    KeyRegistry registry = teamA();
    AuthenticatedKey key = ((Authentication.Accepted) registry.authenticate("Key " + SECRET)).key();

    assertThat(registry.authorize(key, "team-a", "anything")).isInstanceOf(Authentication.Accepted.class);
    assertReason(registry.authorize(key, "team-b", "anything"), Reason.MODEL_NOT_ALLOWED);
  }

  @Test
  void carriesPriorityAndRateLimitWithDefaultsForUnsetFields() {
    secret("team-a", "ci-key", "key", SECRET);
    ApiKey apiKey = apiKey("team-a", "ci", "ci-key", "key");
    apiKey.getSpec().setPriority(KeyPriority.BATCH);
    RateLimit limit = new RateLimit();
    limit.setRequestsPerSecond(3);
    apiKey.getSpec().setRateLimit(limit);
    KeyRegistry registry = registry(apiKey);

    AuthenticatedKey key = ((Authentication.Accepted) registry.authenticate("Key " + SECRET)).key();
    assertThat(key.priority()).isEqualTo(KeyPriority.BATCH);
    assertThat(key.rateLimit()).isEqualTo(new RateLimitSpec(3, 20));
    assertThat(registry.rateLimits()).containsExactly(Map.entry("team-a/ci", new RateLimitSpec(3, 20)));
  }

  @Test
  void knowsWhichSecretsMatter() {
    KeyRegistry registry = teamA();

    assertThat(registry.referencesSecret("team-a", "ci-key")).isTrue();
    assertThat(registry.referencesSecret("team-b", "ci-key")).isFalse();
    assertThat(registry.referencesSecret("team-a", "unrelated")).isFalse();
  }

  @Test
  void emptyRegistryRefusesEverything() {
    assertReason(KeyRegistry.empty().authenticate("Key " + SECRET), Reason.UNKNOWN_KEY);
    assertThat(KeyRegistry.empty().rateLimits()).isEmpty();
  }

  private static void assertReason(Authentication result, Reason reason) {
    assertThat(result).isInstanceOfSatisfying(Authentication.Refused.class,
        refused -> assertThat(refused.refusal().reason()).isEqualTo(reason));
  }
}
