package dev.kiln.operator.model;

import dev.kiln.crds.worker.ResidencyAnnotations;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.net.HttpURLConnection;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Changes one model's entry in a worker pod's residency annotation without touching the others'.
 * Reconciles of different models edit the same pods concurrently, so each edit reads the pod
 * fresh and sends a JSON merge patch carrying the read {@code resourceVersion}: the API server
 * refuses it with 409 if anyone wrote in between, and the edit starts over.
 */
final class WorkerAnnotations {

  private static final int ATTEMPTS = 10;

  private final KubernetesClient client;

  WorkerAnnotations(KubernetesClient client) {
    this.client = client;
  }

  /** Sets {@code model}'s entry of annotation {@code key} to {@code version}. */
  void put(Pod pod, String key, String model, String version) {
    edit(pod, key, entries -> entries.put(model, version));
  }

  /** Removes {@code model}'s entry from annotation {@code key}. */
  void remove(Pod pod, String key, String model) {
    edit(pod, key, entries -> entries.remove(model));
  }

  private void edit(Pod pod, String key, Consumer<SortedMap<String, String>> change) {
    String namespace = pod.getMetadata().getNamespace();
    String name = pod.getMetadata().getName();
    for (int attempt = 1; ; attempt++) {
      Pod fresh = client.pods().inNamespace(namespace).withName(name).get();
      if (fresh == null || !Objects.equals(fresh.getMetadata().getUid(), pod.getMetadata().getUid())) {
        return;
      }
      SortedMap<String, String> entries = new TreeMap<>(ResidencyAnnotations.read(fresh.getMetadata().getAnnotations(), key));
      String before = ResidencyAnnotations.format(entries);
      change.accept(entries);
      String after = ResidencyAnnotations.format(entries);
      if (Objects.equals(before, after)) {
        return;
      }
      Map<String, Object> annotations = new HashMap<>();
      annotations.put(key, after);
      Map<String, Object> metadata = Map.of("resourceVersion", fresh.getMetadata().getResourceVersion(), "annotations", annotations);
      try {
        client.pods().inNamespace(namespace).withName(name).patch(PatchContext.of(PatchType.JSON_MERGE),
            client.getKubernetesSerialization().asJson(Map.of("metadata", metadata)));
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != HttpURLConnection.HTTP_CONFLICT || attempt >= ATTEMPTS) {
          throw e;
        }
      }
    }
  }
}
