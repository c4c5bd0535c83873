package dev.kiln.runtime.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.file.Path;

/** Creates ONNX Runtime sessions on the execution provider chosen once for this worker. */
public final class OnnxSessions {

  private final OrtEnvironment environment;
  private final ExecutionProvider provider;

  private OnnxSessions(OrtEnvironment environment, ExecutionProvider provider) {
    this.environment = environment;
    this.provider = provider;
  }

  /** Starts ONNX Runtime and chooses its execution provider for this worker's GPUs. */
  public static OnnxSessions start(ExecutionProvider.GpuPresence gpu) {
    OrtEnvironment environment = LargeStack.call(OrtEnvironment::getEnvironment, RuntimeException.class);
    return new OnnxSessions(environment, ExecutionProvider.choose(gpu, OrtEnvironment.getAvailableProviders()));
  }

  public OrtEnvironment environment() {
    return environment;
  }

  public ExecutionProvider provider() {
    return provider;
  }

  public OrtSession open(Path modelFile, SessionSettings settings) throws OrtException {
    return LargeStack.call(() -> create(modelFile, settings), OrtException.class);
  }

  private OrtSession create(Path modelFile, SessionSettings settings) throws OrtException {
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
