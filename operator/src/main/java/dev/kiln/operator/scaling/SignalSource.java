package dev.kiln.operator.scaling;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Where the autoscaler's signals come from. */
public interface SignalSource {

  /**
   * A Ready worker and the models it holds.
   *
   * @param address the base address of its runtime
   */
  record ServingWorker(String name, URI address, Set<String> models) {

    public ServingWorker {
      models = Set.copyOf(models);
    }
  }

  /**
   * Reads every model held by {@code workers}: one sample per model, over the workers that hold
   * it, each either read or unread with the reason.
   */
  Map<String, SignalSample> read(List<ServingWorker> workers, Instant at);
}
