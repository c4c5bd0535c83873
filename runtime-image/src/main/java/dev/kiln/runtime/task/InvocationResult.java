package dev.kiln.runtime.task;

/**
 * A model's answer: the body, its content type, and the nanoseconds spent executing this request
 * (its share when it ran in a batch), which the runtime adds to the model's busy time.
 */
public record InvocationResult(byte[] body, String contentType, long busyNanos) {}
