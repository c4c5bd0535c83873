package dev.kiln.bench.controlplane;

import java.util.Locale;

/**
 * One measured size: {@code models} Models over {@code pools} GpuPools with {@code workers} one-GPU
 * workers between them, on fake nodes of {@link #GPUS_PER_NODE} GPUs.
 */
record ScaleSize(int models, int workers, int pools) {

  static final int GPUS_PER_NODE = 8;

  ScaleSize {
    if (pools < 1 || workers % pools != 0 || models < pools) {
      throw new IllegalArgumentException("every pool needs the same number of workers and a model: " + models
          + " models, " + workers + " workers, " + pools + " pools");
    }
  }

  int workersPerPool() {
    return workers / pools;
  }

  /** The pools and models applied. */
  int objects() {
    return pools + models;
  }

  int nodes() {
    return (workers + GPUS_PER_NODE - 1) / GPUS_PER_NODE;
  }

  /** File-safe, for the round's work directory. */
  String slug() {
    return models + "m-" + workers + "w";
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "%,d Models × %,d workers", models, workers);
  }
}
