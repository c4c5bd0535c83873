package dev.kiln.runtime.task;

/** One request to a model: the raw body and its content type (e.g. {@code application/json}). */
public record Invocation(byte[] body, String contentType) {}
