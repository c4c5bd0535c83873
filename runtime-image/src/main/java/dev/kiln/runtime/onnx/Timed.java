package dev.kiln.runtime.onnx;

/** What native work returned, how long it ran, and how long it waited for an execution thread before that. */
public record Timed<T>(T value, long runNanos, long waitNanos) {}
