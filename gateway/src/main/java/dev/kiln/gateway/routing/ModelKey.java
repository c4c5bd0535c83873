package dev.kiln.gateway.routing;

import dev.kiln.crds.model.Model;
import java.util.Objects;

/** A Model as the gateway addresses it: its namespace and name. */
public record ModelKey(String namespace, String name) {

  public ModelKey {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
  }

  public static ModelKey of(Model model) {
    return new ModelKey(model.getMetadata().getNamespace(), model.getMetadata().getName());
  }

  /** The key {@link #toString()} wrote, {@code namespace/name}. */
  public static ModelKey parse(String text) {
    int slash = text.indexOf('/');
    if (slash <= 0 || slash == text.length() - 1) {
      throw new IllegalArgumentException("a model key is namespace/name, got '" + text + "'");
    }
    return new ModelKey(text.substring(0, slash), text.substring(slash + 1));
  }

  @Override
  public String toString() {
    return namespace + "/" + name;
  }
}
