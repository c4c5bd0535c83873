package dev.kiln.runtime.task.tensor;

import java.util.Map;

/** The outputs of one request and its share of the execution time. */
record Executed(Map<String, TensorData> outputs, long busyNanos) {}
