package dev.kiln.operator.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.kiln.crds.model.Batching;
import dev.kiln.crds.model.Model;
import dev.kiln.crds.model.ModelSpec;
import dev.kiln.crds.model.ModelTask;
import dev.kiln.crds.DurationText;
import dev.kiln.operator.runtime.LoadRequest;

/** The worker load request for a Model. */
public final class ModelLoadRequests {

  private ModelLoadRequests() {}

  /**
   * The request that loads {@code model} at {@code version}, its download authenticated with
   * {@code bearerToken} (null for none). A synthetic model needs no file, so its (schema-required)
   * source is left out.
   */
  public static LoadRequest of(Model model, String version, String bearerToken) {
    ModelSpec spec = model.getSpec();
    String task = taskName(spec.getTask());
    LoadRequest.Source source = needsSource(spec)
        ? new LoadRequest.Source(spec.getSource().getUri(), spec.getSource().getSha256(), bearerToken)
        : null;
    Batching batching = spec.getBatching();
    LoadRequest.Batching requestBatching = batching == null || batching.getMaxBatchSize() == null
        ? null
        : new LoadRequest.Batching(batching.getMaxBatchSize(), millis(batching.getMaxDelay()));
    return new LoadRequest(model.getMetadata().getName(), version, task, source, requestBatching, spec.getOptions());
  }

  /** Whether the model's task loads a file from its source. */
  static boolean needsSource(ModelSpec spec) {
    return spec.getTask() != ModelTask.SYNTHETIC && spec.getSource() != null;
  }

  /** Milliseconds of a duration such as {@code 5ms}, {@code 1s} or {@code 1m30s}; 0 when absent. */
  static long millis(String duration) {
    if (duration == null || duration.isBlank()) {
      return 0;
    }
    return DurationText.parse(duration).toMillis();
  }

  /** The task's name as the runtime knows it: the CRD's JSON value, e.g. {@code image-to-image}. */
  private static String taskName(ModelTask task) {
    try {
      return ModelTask.class.getField(task.name()).getAnnotation(JsonProperty.class).value();
    } catch (NoSuchFieldException e) {
      throw new IllegalStateException("an enum constant is a field", e);
    }
  }
}
