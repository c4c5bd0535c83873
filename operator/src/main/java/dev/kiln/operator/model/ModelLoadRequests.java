package dev.kiln.operator.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.kiln.crds.model.Batching;
import dev.kiln.crds.model.Model;
import dev.kiln.crds.model.ModelSpec;
import dev.kiln.crds.model.ModelTask;
import dev.kiln.operator.runtime.LoadRequest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The worker load request for a Model. */
public final class ModelLoadRequests {

  private static final Pattern DURATION_PART = Pattern.compile("([0-9]+)(ms|s|m|h)");

  private ModelLoadRequests() {}

  /**
   * The request that loads {@code model} at {@code version}. A synthetic model needs no file, so
   * its (schema-required) source is left out.
   */
  public static LoadRequest of(Model model, String version) {
    ModelSpec spec = model.getSpec();
    String task = taskName(spec.getTask());
    LoadRequest.Source source = spec.getTask() == ModelTask.SYNTHETIC || spec.getSource() == null
        ? null
        : new LoadRequest.Source(spec.getSource().getUri(), spec.getSource().getSha256(), null);
    Batching batching = spec.getBatching();
    LoadRequest.Batching requestBatching = batching == null || batching.getMaxBatchSize() == null
        ? null
        : new LoadRequest.Batching(batching.getMaxBatchSize(), millis(batching.getMaxDelay()));
    return new LoadRequest(model.getMetadata().getName(), version, task, source, requestBatching, spec.getOptions());
  }

  /** Milliseconds of a duration such as {@code 5ms}, {@code 1s} or {@code 1m30s}; 0 when absent. */
  static long millis(String duration) {
    if (duration == null || duration.isBlank()) {
      return 0;
    }
    long total = 0;
    Matcher part = DURATION_PART.matcher(duration);
    int end = 0;
    while (part.find() && part.start() == end) {
      long amount = Long.parseLong(part.group(1));
      total += switch (part.group(2)) {
        case "ms" -> amount;
        case "s" -> amount * 1_000;
        case "m" -> amount * 60_000;
        default -> amount * 3_600_000;
      };
      end = part.end();
    }
    if (end != duration.length()) {
      throw new IllegalArgumentException("not a duration such as 5ms or 1s: " + duration);
    }
    return total;
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
