package dev.kiln.gateway.routing;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One request's slot on a worker, counted in its in-flight requests until closed. Closing twice
 * releases once, so {@code try (Lease lease = ...)} cannot leak or double-count a slot.
 */
public final class Lease implements AutoCloseable {

  private final Router router;
  private final RoutableModel model;
  private final Worker worker;
  private final AtomicBoolean open = new AtomicBoolean(true);

  Lease(Router router, RoutableModel model, Worker worker) {
    this.router = router;
    this.model = model;
    this.worker = worker;
  }

  public Worker worker() {
    return worker;
  }

  /**
   * Where to send the request: the model's run endpoint on the worker, for the version the model's
   * status names, which the worker may hold beside another while a new version rolls out.
   */
  public URI runUri() {
    return pinned(worker.runUri(model.key().name()));
  }

  /** Where to send a KServe v2 inference request: the model's {@code /v2/models/{name}/infer} on the worker. */
  public URI inferUri() {
    return pinned(worker.kserveUri(model.key().name(), "infer"));
  }

  private URI pinned(URI uri) {
    return model.version()
        .map(version -> URI.create(uri + "?version=" + URLEncoder.encode(version, StandardCharsets.UTF_8)))
        .orElse(uri);
  }

  /**
   * The worker refused or dropped the connection before the request started: it gets no requests
   * for the ejection time, and this slot is released. Route the request again to try another.
   */
  public void connectionFailed() {
    router.eject(worker);
    close();
  }

  @Override
  public void close() {
    if (open.compareAndSet(true, false)) {
      router.release(model.key(), worker);
    }
  }
}
