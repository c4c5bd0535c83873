package dev.kiln.runtime.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.kiln.runtime.onnx.SessionSettings;
import dev.kiln.runtime.task.BatchingSettings;
import java.time.Duration;

/**
 * What the operator asks a worker to load ({@code POST /admin/models}): the model's name and
 * version, its task, where its file comes from, ONNX Runtime session settings, batching and the
 * task's own options. With {@code stage} true, a new version is loaded beside the one serving and
 * serves only requests that ask for it by version, until a load of it without {@code stage}
 * makes it the model's version. Unknown fields are refused, so a typo does not pass silently.
 */
public record LoadRequest(String name, String version, String task, Source source, Session session,
    Batching batching, JsonNode options, Boolean stage) {

  /** The model file: {@code https://}, {@code file://} or {@code hf://}, an optional sha256 and bearer token. */
  public record Source(String uri, String sha256, String bearerToken) {}

  /** ONNX Runtime session options; absent fields take ONNX Runtime's defaults. */
  public record Session(Integer intraOpThreads, Integer interOpThreads, String optimization, Boolean memoryArena) {}

  /** Dynamic batching: rows per batch, and how long a request may wait for the batch to fill. */
  public record Batching(Integer maxBatchSize, Long maxDelayMillis) {}

  public LoadRequest {
    if (name == null || !name.matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?")) {
      throw new IllegalArgumentException("name must be a model name such as resnet-50 (lowercase letters, digits, "
          + "'-' and '.'), got " + (name == null ? "nothing" : "\"" + name + "\""));
    }
    if (task == null || task.isBlank()) {
      throw new IllegalArgumentException("task is required, e.g. \"tensor\" or \"synthetic\"");
    }
    version = version == null || version.isBlank() ? "1" : version;
    options = options == null ? JsonNodeFactory.instance.objectNode() : options;
  }

  /** Whether the version is to be staged beside the one serving rather than replace it. */
  public boolean staged() {
    return Boolean.TRUE.equals(stage);
  }

  public SessionSettings sessionSettings() {
    if (session == null) {
      return SessionSettings.DEFAULTS;
    }
    return new SessionSettings(orZero(session.intraOpThreads()), orZero(session.interOpThreads()),
        session.optimization(), session.memoryArena() == null || session.memoryArena());
  }

  public BatchingSettings batchingSettings() {
    if (batching == null) {
      return BatchingSettings.OFF;
    }
    return new BatchingSettings(batching.maxBatchSize() == null ? 1 : batching.maxBatchSize(),
        Duration.ofMillis(batching.maxDelayMillis() == null ? 0 : batching.maxDelayMillis()));
  }

  private static int orZero(Integer value) {
    return value == null ? 0 : value;
  }
}
