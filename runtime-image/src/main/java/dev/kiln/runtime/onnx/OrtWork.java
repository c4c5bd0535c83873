package dev.kiln.runtime.onnx;

import ai.onnxruntime.OrtException;

/** Native ONNX Runtime work, e.g. a {@code session.run} and the reading of its outputs. */
@FunctionalInterface
public interface OrtWork<T> {

  T call() throws OrtException;
}
