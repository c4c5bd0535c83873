package dev.kiln.runtime.task;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.runtime.onnx.OnnxSessions;
import dev.kiln.runtime.onnx.SessionSettings;
import java.nio.file.Path;

/**
 * What a task gets to load one model: its name, the cached model file or folder ({@code null} for
 * a task without a model file), the ONNX Runtime sessions factory, the session settings, the
 * batching settings and the task's own options.
 */
public record ModelLoad(String name, Path modelPath, OnnxSessions onnx, SessionSettings session,
    BatchingSettings batching, JsonNode options) {}
