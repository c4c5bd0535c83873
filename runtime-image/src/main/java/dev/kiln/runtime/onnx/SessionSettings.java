package dev.kiln.runtime.onnx;

import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import java.util.Locale;

/**
 * ONNX Runtime session options from a model's configuration: thread counts (0 lets ONNX Runtime
 * choose), graph optimisation level ({@code none}, {@code basic}, {@code extended}, {@code all}) and
 * whether the CPU memory arena is on.
 */
public record SessionSettings(int intraOpThreads, int interOpThreads, String optimization, boolean memoryArena) {

  public static final SessionSettings DEFAULTS = new SessionSettings(0, 0, "all", true);

  public SessionSettings {
    if (intraOpThreads < 0 || interOpThreads < 0) {
      throw new IllegalArgumentException("session thread counts must be 0 (automatic) or more, got intraOpThreads="
          + intraOpThreads + " interOpThreads=" + interOpThreads);
    }
    optimization = optimization == null ? "all" : optimization.toLowerCase(Locale.ROOT);
    optLevel(optimization);
  }

  OptLevel optLevel() {
    return optLevel(optimization);
  }

  private static OptLevel optLevel(String name) {
    return switch (name) {
      case "none" -> OptLevel.NO_OPT;
      case "basic" -> OptLevel.BASIC_OPT;
      case "extended" -> OptLevel.EXTENDED_OPT;
      case "all" -> OptLevel.ALL_OPT;
      default -> throw new IllegalArgumentException(
          "session.optimization must be none, basic, extended or all, got \"" + name + "\"");
    };
  }
}
