package dev.kiln.runtime.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.file.Path;

/** Creates ONNX Runtime sessions on the execution provider chosen once for this worker. */
public final class OnnxSessions {

  private final OrtEnvironment environment;
  private final ExecutionProvider provider;

  public OnnxSessions(OrtEnvironment environment, ExecutionProvider provider) {
    this.environment = environment;
    this.provider = provider;
  }

  public OrtEnvironment environment() {
    return environment;
  }

  public ExecutionProvider provider() {
    return provider;
  }

  public OrtSession open(Path modelFile, SessionSettings settings) throws OrtException {
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(settings.intraOpThreads());
      options.setInterOpNumThreads(settings.interOpThreads());
      options.setOptimizationLevel(settings.optLevel());
      options.setCPUArenaAllocator(settings.memoryArena());
      if (provider.cuda()) {
        options.addCUDA(0);
      }
      return environment.createSession(modelFile.toString(), options);
    }
  }
}
