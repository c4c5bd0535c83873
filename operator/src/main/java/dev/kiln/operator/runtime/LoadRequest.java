package dev.kiln.operator.runtime;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * The body of a worker's {@code POST /admin/models}, in the runtime's JSON shape. Absent parts are
 * left out, so the runtime applies its own defaults.
 *
 * @param source where the model file comes from; null for tasks that need none (synthetic)
 * @param batching null turns batching off
 * @param options the task's own settings, as the Model gives them; null for none
 * @param stage true to load beside the version serving instead of replacing it; null otherwise
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LoadRequest(String name, String version, String task, Source source, Batching batching, JsonNode options,
    Boolean stage) {

  /** A load that makes {@code version} the one serving. */
  public LoadRequest(String name, String version, String task, Source source, Batching batching, JsonNode options) {
    this(name, version, task, source, batching, options, null);
  }

  /** The same load, staged beside the version serving: it serves only runs that name it until loaded plainly. */
  public LoadRequest staged() {
    return new LoadRequest(name, version, task, source, batching, options, true);
  }

  /** The model file, with its expected SHA-256 and, for private sources, a bearer token. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Source(String uri, String sha256, String bearerToken) {

    /** Leaves the token out, so a logged request or a failed assertion cannot show it. */
    @Override
    public String toString() {
      return "Source[uri=%s, sha256=%s, bearerToken=%s]".formatted(uri, sha256, bearerToken == null ? null : "<redacted>");
    }
  }

  /** Rows per batch and how long a request may wait for the batch to fill. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Batching(Integer maxBatchSize, Long maxDelayMillis) {}
}
