package dev.kiln.runtime.task.image;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.kiln.runtime.task.ModelLoad;
import dev.kiln.runtime.task.ModelLoadException;
import dev.kiln.runtime.task.OnnxModelFile;
import dev.kiln.runtime.task.ServableModel;
import dev.kiln.runtime.task.Task;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code background-removal}: a saliency model such as U²-Net-p cuts the subject out of a picture.
 * Takes PNG or JPEG bytes (or fal-style JSON with the picture as a data URI) and answers with an RGBA
 * PNG of the same size whose alpha is the model's mask. Option {@code output} names the output that
 * holds the mask; the first output is used otherwise (U²-Net's final, fused map).
 */
public final class BackgroundRemovalTask implements Task {

  private static final Logger LOG = LoggerFactory.getLogger(BackgroundRemovalTask.class);

  @Override
  public String name() {
    return "background-removal";
  }

  @Override
  public ServableModel load(ModelLoad load) throws ModelLoadException {
    Path file = OnnxModelFile.find(load.modelPath(), load.options());
    OrtSession session;
    try {
      session = load.onnx().open(file, load.session());
    } catch (OrtException e) {
      throw new ModelLoadException("ONNX Runtime cannot load " + file.getFileName() + ": " + e.getMessage()
          + " (is it an ONNX model, and is spec.source the right file?)", e);
    }
    BackgroundRemovalModel model;
    try {
      SaliencySignature signature = SaliencySignature.of(load.name(), session, load.options());
      LOG.info("model={} takes {}x{} pictures through input {}; mask from output {}", load.name(),
          signature.width(), signature.height(), signature.input(), signature.output());
      model = new BackgroundRemovalModel(load.name(), load.onnx(), session, signature);
    } catch (OrtException | ModelLoadException e) {
      closeQuietly(session);
      throw e instanceof ModelLoadException failed ? failed
          : new ModelLoadException("cannot read the inputs and outputs of " + load.name() + ": " + e.getMessage(), e);
    }
    try {
      model.warmUp();
    } catch (RuntimeException e) {
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
