package dev.kiln.operator;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The operator's settings, from its environment:
 * <ul>
 *   <li>{@code KILN_WATCH_NAMESPACES}: comma-separated namespaces to reconcile; every namespace when unset or empty</li>
 *   <li>{@code KILN_RUNTIME_IMAGE}: the worker runtime image for pools that name none (required)</li>
 * </ul>
 *
 * @param namespaces the namespaces to watch; empty for all
 */
public record OperatorSettings(Set<String> namespaces, String runtimeImage) {

  public OperatorSettings {
    namespaces = Set.copyOf(namespaces);
  }

  public static OperatorSettings fromEnvironment(Map<String, String> env) {
    String image = env.getOrDefault("KILN_RUNTIME_IMAGE", "").trim();
    if (image.isEmpty()) {
      throw new IllegalArgumentException(
          "KILN_RUNTIME_IMAGE is not set: set it to the Kiln runtime image, e.g. ghcr.io/kiln-dev/kiln-runtime:0.1.0");
    }
    Set<String> namespaces = Arrays.stream(env.getOrDefault("KILN_WATCH_NAMESPACES", "").split(","))
        .map(String::trim)
        .filter(ns -> !ns.isEmpty())
        .collect(Collectors.toUnmodifiableSet());
    return new OperatorSettings(namespaces, image);
  }
}
