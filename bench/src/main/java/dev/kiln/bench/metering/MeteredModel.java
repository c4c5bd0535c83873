package dev.kiln.bench.metering;

import java.time.Duration;

/** A synthetic model of the mixed load: its pool, and the fixed time it spends on every request. */
record MeteredModel(String name, MeteredPool pool, Duration serviceTime) {

  String manifest() {
    return """
        apiVersion: kiln.dev/v1alpha1
        kind: Model
        metadata:
          name: %s
        spec:
          pool: %s
          task: synthetic
          source: {uri: "file:///dev/null"}   # the CRD asks for one; a synthetic model loads no file
          gpuMemory: 1Gi
          options: {serviceTimeMillis: %d}
          residency: {policy: Hot, minReplicas: 1, maxReplicas: 2}
          targetConcurrency: 2
          pricePerSecond: "0.001"
        """.formatted(name, pool.name(), serviceTime.toMillis());
  }
}
