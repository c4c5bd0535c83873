package dev.kiln.runtime.task;

import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** The tasks this runtime knows, found through {@link ServiceLoader}. */
public final class Tasks {

  private final Map<String, Task> byName;

  private Tasks(Map<String, Task> byName) {
    this.byName = byName;
  }

  public static Tasks discover() {
    Map<String, Task> byName = new TreeMap<>();
    for (Task task : ServiceLoader.load(Task.class)) {
      if (byName.putIfAbsent(task.name(), task) != null) {
        throw new IllegalStateException("two tasks are named " + task.name() + ": " + byName.get(task.name()).getClass()
            + " and " + task.getClass());
      }
    }
    return new Tasks(byName);
  }

  public Optional<Task> named(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  public java.util.Set<String> names() {
    return byName.keySet();
  }
}
