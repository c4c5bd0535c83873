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

  @Override
  public String toString() {
    return namespace + "/" + name;
  }
}
