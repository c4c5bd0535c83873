package dev.kiln.runtime.task;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.OptionalLong;

/**
 * A loaded, warmed model. {@link #invoke} may be called from many threads at once; it reports
 * the time spent executing (not waiting), which the runtime accounts as busy time.
 */
public interface ServableModel extends AutoCloseable {

  /** Runs one request; throws {@link InvalidInputException} for input the model cannot take. */
  InvocationResult invoke(Invocation invocation) throws InvalidInputException, InterruptedException;

  /** Inputs and outputs as this task describes them (for tensor models, KServe v2 metadata). */
  ObjectNode metadata();

  /** The memory the model says it holds, when it knows better than a measurement around its load. */
  default OptionalLong memoryBytes() {
    return OptionalLong.empty();
  }

  /** Requests waiting inside the model (e.g. for a batch to fill), not yet executing. */
  default int queued() {
    return 0;
  }

  /** Batches run so far, for a model that batches requests; 0 otherwise. */
  default long batches() {
    return 0;
  }

  /** Releases the model's memory; called once no request uses it any more. */
  @Override
  void close();
}
