package dev.kiln.gateway.auth;

import dev.kiln.crds.apikey.ApiKey;
import dev.kiln.crds.common.SecretKeySelector;
import java.util.List;

/** ApiKey resources for tests. */
final class ApiKeys {

  private ApiKeys() {}

  /** An ApiKey {@code namespace/name} whose secret is under key {@code key} of Secret {@code secretName}. */
  static ApiKey apiKey(String namespace, String name, String secretName, String key) {
    ApiKey apiKey = new ApiKey();
    apiKey.getMetadata().setNamespace(namespace);
    apiKey.getMetadata().setName(name);
    SecretKeySelector ref = new SecretKeySelector();
    ref.setName(secretName);
    ref.setKey(key);
    apiKey.getSpec().setSecretRef(ref);
    return apiKey;
  }

  static ApiKey apiKey(String namespace, String name, String secretName, String key, List<String> models) {
    ApiKey apiKey = apiKey(namespace, name, secretName, key);
    apiKey.getSpec().setModels(models);
    return apiKey;
  }
}
