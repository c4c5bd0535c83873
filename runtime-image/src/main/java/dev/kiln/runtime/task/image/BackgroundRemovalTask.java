package dev.kiln.runtime.task.image;

import dev.kiln.runtime.task.ModelLoad;
import dev.kiln.runtime.task.ModelLoadException;
import dev.kiln.runtime.task.OnnxModelLoading;
import dev.kiln.runtime.task.ServableModel;
import dev.kiln.runtime.task.Task;
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
    return OnnxModelLoading.load(load, session -> {
      SaliencySignature signature = SaliencySignature.of(load.name(), session, load.options());
      LOG.info("model={} takes {}x{} pictures through input {}; mask from output {}", load.name(),
          signature.width(), signature.height(), signature.input(), signature.output());
      return new BackgroundRemovalModel(load.name(), load.onnx(), session, signature);
    });
  }
}
