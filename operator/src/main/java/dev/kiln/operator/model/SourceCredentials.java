package dev.kiln.operator.model;

import dev.kiln.crds.model.Model;
import dev.kiln.crds.status.ConditionReason;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * What a Model's download needs to authenticate: the bearer token under {@value #TOKEN_KEY} in the
 * Secret that {@code spec.source.credentialsSecret} names, in the Model's namespace. The Secret is
 * read with a plain {@code get} when a load is due, so the operator watches no Secrets; the token
 * goes into the load request only, never into a log, an Event or the status.
 */
sealed interface SourceCredentials {

  String TOKEN_KEY = "token";

  /** The source names no Secret (or the task fetches no file): the download goes without a token. */
  record None() implements SourceCredentials {}

  /** The token to send as {@code Authorization: Bearer}. */
  record BearerToken(String value) implements SourceCredentials {

    @Override
    public String toString() {
      return "BearerToken[value=<redacted>]";
    }
  }

  /** The named Secret or its key is missing: no load is tried, and {@code message} says what to create. */
  record Missing(ConditionReason reason, String message) implements SourceCredentials {}

  /** The token for {@code model}'s next load, read from its Secret with {@code client}. */
  static SourceCredentials read(KubernetesClient client, Model model) {
    String secretName = secretName(model);
    if (secretName == null) {
      return new None();
    }
    return of(model, client.secrets().inNamespace(model.getMetadata().getNamespace()).withName(secretName).get());
  }

  /** The credentials in {@code secret}, the Secret {@code model} names (null when it does not exist). */
  static SourceCredentials of(Model model, Secret secret) {
    String secretName = secretName(model);
    if (secretName == null) {
      return new None();
    }
    String namespace = model.getMetadata().getNamespace();
    if (secret == null) {
      return new Missing(ConditionReason.SECRET_NOT_FOUND, ("Secret %s named by spec.source.credentialsSecret does not "
          + "exist in namespace %s: create it with the source's bearer token under key \"%s\"")
          .formatted(secretName, namespace, TOKEN_KEY));
    }
    String token = value(secret);
    if (token == null || token.isEmpty()) {
      return new Missing(ConditionReason.KEY_NOT_IN_SECRET, ("Secret %s in namespace %s has no value under key \"%s\": "
          + "put the source's bearer token there").formatted(secretName, namespace, TOKEN_KEY));
    }
    return new BearerToken(token);
  }

  /** The token, or null for no credentials. */
  default String bearerToken() {
    return this instanceof BearerToken token ? token.value() : null;
  }

  private static String secretName(Model model) {
    var source = model.getSpec().getSource();
    return ModelLoadRequests.needsSource(model.getSpec()) && source.getCredentialsSecret() != null
        ? source.getCredentialsSecret().getName()
        : null;
  }

  /** The key's value, without the line break a token file usually ends with; null when absent. */
  private static String value(Secret secret) {
    String encoded = secret.getData() == null ? null : secret.getData().get(TOKEN_KEY);
    return encoded == null ? null : new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8).strip();
  }
}
