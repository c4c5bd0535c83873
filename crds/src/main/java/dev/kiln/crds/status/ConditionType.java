package dev.kiln.crds.status;

import java.util.List;

/**
 * The condition types Kiln's controllers set in {@code status.conditions}, in the standard
 * Kubernetes shape (type, status, reason, message, lastTransitionTime, observedGeneration).
 */
public enum ConditionType {
  READY("Ready", List.of("GpuPool", "Model", "ApiKey"),
      "The resource does what its spec asks: a pool has its desired workers Ready, a model serves requests, "
          + "a key is accepted by the gateway."),
  RESIDENT("Resident", List.of("Model"),
      "The model is loaded and warmed on at least residency.minReplicas workers (on one, once requested, for OnDemand)."),
  SCALING("Scaling", List.of("GpuPool"),
      "Workers are being started or drained towards status.desiredWorkers."),
  PROGRESSING("Progressing", List.of("GpuPool"),
      "Workers are being replaced by ones made from the current template; False when that rollout is paused or stuck."),
  DEGRADED("Degraded", List.of("GpuPool", "Model"),
      "Serving, but with less than the spec asks for, e.g. a worker crashed or a node lost its GPUs."),
  CAP_REACHED("CapReached", List.of("ApiKey"),
      "Spend in the current period reached spendCap.amount; requests are refused until the next period.");

  private final String type;
  private final List<String> appliesTo;
  private final String meaning;

  ConditionType(String type, List<String> appliesTo, String meaning) {
    this.type = type;
    this.appliesTo = appliesTo;
    this.meaning = meaning;
  }

  /** The value of {@code condition.type}. */
  public String type() {
    return type;
  }

  public List<String> appliesTo() {
    return appliesTo;
  }

  public String meaning() {
    return meaning;
  }
}
