package dev.kiln.bench.metering;

/** A pool of the mixed load, and the GPUs each of its workers holds. */
record MeteredPool(String name, int gpusPerWorker, int maxWorkers) {

  String manifest() {
    return """
        apiVersion: kiln.dev/v1alpha1
        kind: GpuPool
        metadata:
          name: %s
        spec:
          gpusPerWorker: %d
          gpuMemoryPerWorker: 16Gi
          workers: {min: 1, max: %d}
          pricePerGpuSecond: "0.001"
        """.formatted(name, gpusPerWorker, maxWorkers);
  }
}
