package dev.kiln.runtime.task;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.file.Path;

/**
 * The load every ONNX task shares: find the model's ONNX file, open a session, build the task's
 * model on it, run its warm-up. Whatever fails closes what was opened and says which step failed.
 */
public final class OnnxModelLoading {

  /** A model served from one ONNX Runtime session that can warm itself up. */
  public interface WarmableModel extends ServableModel {

    /** Runs one inference of the smallest valid input, so the first real request finds the session warm. */
    void warmUp() throws InvalidInputException, InterruptedException;
  }

  /** Builds the task's model on an open session; may refuse a model whose inputs and outputs do not fit the task. */
  @FunctionalInterface
  public interface ModelFactory<M extends WarmableModel> {

    M create(OrtSession session) throws OrtException, ModelLoadException;
  }

  private OnnxModelLoading() {}

  public static <M extends WarmableModel> M load(ModelLoad load, ModelFactory<M> factory) throws ModelLoadException {
    Path file = OnnxModelFile.find(load.modelPath(), load.options());
    OrtSession session;
    try {
      session = load.onnx().open(file, load.session());
    } catch (OrtException e) {
      throw new ModelLoadException("ONNX Runtime cannot load " + file.getFileName() + ": " + e.getMessage()
          + " (is it an ONNX model, and is spec.source the right file?)", e);
    }
    M model;
    try {
      model = factory.create(session);
    } catch (OrtException | ModelLoadException | RuntimeException e) {
      closeQuietly(session);
      throw e instanceof ModelLoadException failed ? failed
          : new ModelLoadException("cannot read the inputs and outputs of " + load.name() + ": " + e.getMessage(), e);
    }
    try {
      model.warmUp();
    } catch (InvalidInputException | RuntimeException e) {
      model.close();
      throw new ModelLoadException("the warm-up inference of " + load.name() + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      model.close();
      Thread.currentThread().interrupt();
      throw new ModelLoadException("the load of " + load.name() + " was interrupted during its warm-up", e);
    }
    return model;
  }

  private static void closeQuietly(OrtSession session) {
    try {
      session.close();
    } catch (OrtException ignored) {
      // already failing with the reason that matters
    }
  }
}
