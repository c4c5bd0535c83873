package dev.kiln.operator.model;

import dev.kiln.crds.model.Model;
import dev.kiln.operator.status.EventRecorder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;

/** The Events recorded on a Model, for {@code kubectl describe}. */
final class ModelEvents {

  static final String LOADED = "Loaded";
  static final String UNLOADED = "Unloaded";
  static final String EVICTED = "Evicted";
  static final String LOAD_FAILED = "LoadFailed";
  static final String VERSION_SWITCHED = "VersionSwitched";
  static final String ROLLOUT_PAUSED = "RolloutPaused";
  static final String REPLACING_IN_PLACE = "ReplacingInPlace";

  private final EventRecorder events;

  ModelEvents(KubernetesClient client, Clock clock) {
    this.events = new EventRecorder(client, clock);
  }

  void normal(Model model, String reason, String message) {
    events.normal(model, reason, message);
  }

  void warning(Model model, String reason, String message) {
    events.warning(model, reason, message);
  }
}
