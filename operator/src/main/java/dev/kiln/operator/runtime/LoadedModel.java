package dev.kiln.operator.runtime;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A model a worker holds, as its admin API describes it.
 *
 * @param memoryBytes the memory the load took, as the worker measured it
 * @param loadMillis how long downloading, loading and warming took
 * @param staged whether it is staged beside the version serving, serving only runs that name it
 */
public record LoadedModel(String name, String version, long memoryBytes, long loadMillis, boolean staged) {

  public LoadedModel(String name, String version, long memoryBytes, long loadMillis) {
    this(name, version, memoryBytes, loadMillis, false);
  }

  static LoadedModel from(JsonNode node) {
    return new LoadedModel(node.path("name").asText(), node.path("version").asText(),
        node.path("memoryBytes").asLong(), node.path("loadMillis").asLong(), node.path("staged").asBoolean());
  }
}
