package dev.kiln.gateway.queue;

import dev.kiln.gateway.routing.Lease;
import java.net.URI;

/** Which of the runtime's endpoints a request goes to on the worker it was routed to. */
public enum WorkerPath {
  /** fal's run and queue APIs: {@code POST /models/{name}/run}. */
  RUN,
  /** KServe v2 inference: {@code POST /v2/models/{name}/infer}. */
  KSERVE_INFER;

  public URI on(Lease lease) {
    return switch (this) {
      case RUN -> lease.runUri();
      case KSERVE_INFER -> lease.inferUri();
    };
  }
}
