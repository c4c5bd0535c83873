package dev.kiln.runtime.task;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The ONNX file of a cached model: the file itself, or in a multi-file model's folder the one named
 * by the option {@code file}, else {@code model.onnx}, else the folder's only {@code .onnx} file.
 */
public final class OnnxModelFile {

  private OnnxModelFile() {}

  public static Path find(Path modelPath, JsonNode options) throws ModelLoadException {
    if (!Files.isDirectory(modelPath)) {
      return modelPath;
    }
    String named = options.path("file").asText("");
    if (!named.isEmpty()) {
      Path file = modelPath.resolve(named).normalize();
      if (!file.startsWith(modelPath) || !Files.isRegularFile(file)) {
        throw new ModelLoadException("options.file names " + named + ", which is not a file in the model's folder");
      }
      return file;
    }
    if (Files.isRegularFile(modelPath.resolve("model.onnx"))) {
      return modelPath.resolve("model.onnx");
    }
    List<Path> candidates = onnxFiles(modelPath);
    if (candidates.size() != 1) {
      throw new ModelLoadException("the model's folder holds " + candidates.size() + " .onnx files "
          + candidates.stream().map(modelPath::relativize).toList()
          + ": name the one to serve in options.file, or call it model.onnx");
    }
    return candidates.getFirst();
  }

  private static List<Path> onnxFiles(Path folder) {
    try (Stream<Path> walk = Files.walk(folder)) {
      return walk.filter(path -> path.toString().endsWith(".onnx") && Files.isRegularFile(path)).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
