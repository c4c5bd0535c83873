package dev.kiln.operator.model;

import dev.kiln.crds.model.Batching;
import dev.kiln.crds.model.ModelSource;
import dev.kiln.crds.model.ModelSpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A model's version: the first 12 hex digits of the SHA-256 of what decides what a worker loads
 * (source URI and checksum, task, batching, options). Replica bounds, price and the like are not
 * part of it, so changing them reloads nothing. Options count only when set, so models without
 * them keep the versions they had before options existed.
 */
public final class ModelVersion {

  private static final int LENGTH = 12;

  private ModelVersion() {}

  public static String of(ModelSpec spec) {
    ModelSource source = spec.getSource();
    Batching batching = spec.getBatching();
    String canonical = String.join("\n",
        "uri=" + (source == null ? "" : Objects.toString(source.getUri(), "")),
        "sha256=" + (source == null ? "" : Objects.toString(source.getSha256(), "")),
        "task=" + (spec.getTask() == null ? "" : spec.getTask().name()),
        "maxBatchSize=" + (batching == null ? "" : Objects.toString(batching.getMaxBatchSize(), "")),
        "maxDelay=" + (batching == null ? "" : Objects.toString(batching.getMaxDelay(), "")))
        + (spec.getOptions() == null ? "" : "\noptions=" + spec.getOptions());
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, LENGTH);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
