package dev.kiln.gateway.auth;

import dev.kiln.crds.apikey.ApiKey;
import dev.kiln.gateway.informers.OnAnyChange;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Informable;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a {@link KeyRegistry} current from informers on ApiKeys and Secrets. Any ApiKey change,
 * and any change to a Secret some ApiKey references, publishes a new registry built from the
 * informers' caches; {@link #registry()} reads the latest without locking.
 *
 * <p>Needs get, list and watch on {@code apikeys.kiln.dev} and {@code secrets} in the watched
 * namespaces (helm/kiln/templates/gateway-rbac.yaml).
 */
public final class ApiKeyWatcher implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ApiKeyWatcher.class);

  private final List<SharedIndexInformer<ApiKey>> keyInformers = new ArrayList<>();
  private final List<SharedIndexInformer<Secret>> secretInformers = new ArrayList<>();
  private final Consumer<KeyRegistry> onUpdate;
  private final Object rebuildLock = new Object();
  private volatile KeyRegistry registry = KeyRegistry.empty();
  private Map<String, String> reportedProblems = Map.of();

  private ApiKeyWatcher(Consumer<KeyRegistry> onUpdate) {
    this.onUpdate = onUpdate;
  }

  /**
   * Starts watching {@code namespaces} (every namespace when empty) and returns once the informers
   * have listed them. {@code onUpdate} receives each new registry, e.g. to let
   * {@link KeyRateLimits#retainOnly} drop the buckets of deleted keys.
   */
  public static ApiKeyWatcher start(KubernetesClient client, Set<String> namespaces, Consumer<KeyRegistry> onUpdate) {
    ApiKeyWatcher watcher = new ApiKeyWatcher(onUpdate);
    try {
      watcher.inform(namespaces, ns -> ns == null
          ? client.resources(ApiKey.class).inAnyNamespace() : client.resources(ApiKey.class).inNamespace(ns),
          watcher.keyInformers, new OnAnyChange<>(key -> watcher.rebuild(), () -> { }));
      watcher.inform(namespaces, ns -> ns == null ? client.secrets().inAnyNamespace() : client.secrets().inNamespace(ns),
          watcher.secretInformers, new OnAnyChange<>(watcher::rebuildIfReferenced, () -> { }));
    } catch (RuntimeException e) {
      watcher.close();
      throw e;
    }
    watcher.rebuild();
    LOG.info("api keys watched namespaces={} keys={}", namespaces.isEmpty() ? "all" : namespaces, watcher.registry.size());
    return watcher;
  }

  /** The latest registry; empty until the informers have synced. */
  public KeyRegistry registry() {
    return registry;
  }

  /** The ApiKeys as the informers hold them now. */
  public List<ApiKey> apiKeys() {
    return keyInformers.stream().flatMap(informer -> informer.getStore().list().stream()).toList();
  }

  /** Whether every informer has listed its namespace once: before that, keys may be refused wrongly. */
  public boolean isSynced() {
    return keyInformers.stream().allMatch(SharedIndexInformer::hasSynced)
        && secretInformers.stream().allMatch(SharedIndexInformer::hasSynced);
  }

  @Override
  public void close() {
    keyInformers.forEach(SharedIndexInformer::close);
    secretInformers.forEach(SharedIndexInformer::close);
  }

  private <T extends HasMetadata> void inform(Set<String> namespaces, Function<String, Informable<T>> source,
      List<SharedIndexInformer<T>> informers, ResourceEventHandler<T> handler) {
    if (namespaces.isEmpty()) {
      informers.add(source.apply(null).inform(handler));
    } else {
      for (String namespace : namespaces) {
        informers.add(source.apply(namespace).inform(handler));
      }
    }
  }

  private void rebuild() {
    synchronized (rebuildLock) {
      KeyRegistry next = KeyRegistry.of(apiKeys(), this::secretData);
      registry = next;
      reportProblems(next.unusableKeys());
      onUpdate.accept(next);
    }
  }

  private void reportProblems(Map<String, String> problems) {
    if (problems.equals(reportedProblems)) {
      return;
    }
    problems.forEach((id, problem) -> {
      if (!problem.equals(reportedProblems.get(id))) {
        LOG.warn("api key unusable apiKey={} problem=\"{}\"", id, problem);
      }
    });
    reportedProblems = problems;
  }

  private Optional<Map<String, byte[]>> secretData(String namespace, String name) {
    return secretInformers.stream()
        .map(informer -> informer.getStore().getByKey(namespace + "/" + name))
        .filter(Objects::nonNull)
        .findFirst()
        .map(ApiKeyWatcher::decode);
  }

  private static Map<String, byte[]> decode(Secret secret) {
    Map<String, byte[]> data = new HashMap<>();
    if (secret.getData() != null) {
      secret.getData().forEach((key, value) -> data.put(key, Base64.getDecoder().decode(value)));
    }
    return data;
  }

  /**
   * Rebuilds only for Secrets the current registry references. Checked under the rebuild lock: an
   * ApiKey rebuild that read the Secret cache before this Secret arrived has then published a
   * registry that references it, so the change is not missed.
   */
  private void rebuildIfReferenced(Secret secret) {
    synchronized (rebuildLock) {
      if (registry.referencesSecret(secret.getMetadata().getNamespace(), secret.getMetadata().getName())) {
        rebuild();
      }
    }
  }
}
