package dev.kiln.gateway.informers;

import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.util.function.Consumer;

/**
 * An informer handler that reacts the same way to an object added, updated (its new state) or
 * deleted, for watchers that rebuild a snapshot from their caches on every change.
 */
public final class OnAnyChange<T> implements ResourceEventHandler<T> {

  private final Consumer<T> changed;
  private final Runnable nothing;

  /**
   * @param changed called with the object that changed
   * @param nothing called when a (re)list finds no objects at all
   */
  public OnAnyChange(Consumer<T> changed, Runnable nothing) {
    this.changed = changed;
    this.nothing = nothing;
  }

  /** Runs {@code action} on every change, an empty list included. */
  public static <T> OnAnyChange<T> run(Runnable action) {
    return new OnAnyChange<>(object -> action.run(), action);
  }

  @Override
  public void onAdd(T object) {
    changed.accept(object);
  }

  @Override
  public void onUpdate(T before, T after) {
    changed.accept(after);
  }

  @Override
  public void onDelete(T object, boolean finalStateUnknown) {
    changed.accept(object);
  }

  @Override
  public void onNothing() {
    nothing.run();
  }
}
