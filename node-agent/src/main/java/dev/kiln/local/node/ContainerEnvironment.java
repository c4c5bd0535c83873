package dev.kiln.local.node;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves a container's {@code env} as the kubelet does: literal values with {@code $(VAR)}
 * expansion, the downward API ({@code fieldRef}), and keys of Secrets and ConfigMaps.
 */
final class ContainerEnvironment {

  private static final Pattern REFERENCE = Pattern.compile("\\$\\$|\\$\\(([A-Za-z_][A-Za-z0-9_.-]*)\\)");
  private static final Pattern MAP_FIELD = Pattern.compile("metadata\\.(labels|annotations)\\['(.+)'\\]");

  private final KubernetesClient client;

  ContainerEnvironment(KubernetesClient client) {
    this.client = client;
  }

  Map<String, String> resolve(Pod pod, Container container, String podIp, String hostIp)
      throws ContainerConfigException {
    Map<String, String> resolved = new LinkedHashMap<>();
    for (EnvVar variable : container.getEnv() == null ? List.<EnvVar>of() : container.getEnv()) {
      String value = variable.getValueFrom() == null
          ? expand(variable.getValue() == null ? "" : variable.getValue(), resolved)
          : valueFrom(pod, variable, podIp, hostIp);
      resolved.put(variable.getName(), value);
    }
    return resolved;
  }

  /** Expands {@code $(NAME)} from {@code variables}; {@code $$} is a literal {@code $}; unknown names stay. */
  static String expand(String text, Map<String, String> variables) {
    Matcher matcher = REFERENCE.matcher(text);
    var out = new StringBuilder();
    while (matcher.find()) {
      String replacement = matcher.group(1) == null
          ? "$"
          : variables.getOrDefault(matcher.group(1), matcher.group());
      matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    return matcher.appendTail(out).toString();
  }

  private String valueFrom(Pod pod, EnvVar variable, String podIp, String hostIp) throws ContainerConfigException {
    EnvVarSource source = variable.getValueFrom();
    String namespace = pod.getMetadata().getNamespace();
    if (source.getFieldRef() != null) {
      return field(pod, source.getFieldRef().getFieldPath(), podIp, hostIp, variable.getName());
    }
    if (source.getSecretKeyRef() != null) {
      var ref = source.getSecretKeyRef();
      Secret secret = client.secrets().inNamespace(namespace).withName(ref.getName()).get();
      String encoded = secret == null || secret.getData() == null ? null : secret.getData().get(ref.getKey());
      if (encoded == null) {
        return missing(ref.getOptional(), "secret %s/%s has no key %s (env %s)"
            .formatted(namespace, ref.getName(), ref.getKey(), variable.getName()));
      }
      return new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
    }
    if (source.getConfigMapKeyRef() != null) {
      var ref = source.getConfigMapKeyRef();
      ConfigMap configMap = client.configMaps().inNamespace(namespace).withName(ref.getName()).get();
      String value = configMap == null || configMap.getData() == null ? null : configMap.getData().get(ref.getKey());
      if (value == null) {
        return missing(ref.getOptional(), "configmap %s/%s has no key %s (env %s)"
            .formatted(namespace, ref.getName(), ref.getKey(), variable.getName()));
      }
      return value;
    }
    throw new ContainerConfigException("env " + variable.getName()
        + ": only value, fieldRef, secretKeyRef and configMapKeyRef are supported by the node agent");
  }

  private static String missing(Boolean optional, String message) throws ContainerConfigException {
    if (Boolean.TRUE.equals(optional)) {
      return "";
    }
    throw new ContainerConfigException(message);
  }

  private static String field(Pod pod, String path, String podIp, String hostIp, String variable)
      throws ContainerConfigException {
    var metadata = pod.getMetadata();
    switch (path) {
      case "metadata.name": return metadata.getName();
      case "metadata.namespace": return metadata.getNamespace();
      case "metadata.uid": return metadata.getUid();
      case "spec.nodeName": return pod.getSpec().getNodeName();
      case "spec.serviceAccountName": return pod.getSpec().getServiceAccountName();
      case "status.podIP", "status.podIPs": return podIp;
      case "status.hostIP", "status.hostIPs": return hostIp;
      default: break;
    }
    Matcher mapField = MAP_FIELD.matcher(path);
    if (mapField.matches()) {
      Map<String, String> values = mapField.group(1).equals("labels") ? metadata.getLabels() : metadata.getAnnotations();
      return values == null ? "" : values.getOrDefault(mapField.group(2), "");
    }
    throw new ContainerConfigException("env " + variable + ": unsupported fieldRef " + path);
  }
}
