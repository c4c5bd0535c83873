package dev.kiln.crds.worker;

/**
 * The labels and annotations on a worker pod that the operator writes and the gateway reads. The
 * residency annotations and their format are in {@link ResidencyAnnotations}.
 */
public final class WorkerPodMetadata {

  /** Label: the GpuPool the worker belongs to. */
  public static final String POOL = "kiln.dev/pool";
  /** Label: the worker's name within its pool. */
  public static final String WORKER = "kiln.dev/worker";
  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String KILN = "kiln";
  /** Label selector for everything Kiln manages. */
  public static final String MANAGED_BY_KILN = MANAGED_BY + "=" + KILN;
  /** Label: a hash of the pool template the worker was made from; a worker with another hash is rolled. */
  public static final String TEMPLATE_HASH = "kiln.dev/template-hash";
  /**
   * Annotation set on a worker the operator means to remove, to the time it was marked: nothing
   * new is placed there, and its models are loaded elsewhere while it keeps serving them.
   */
  public static final String DRAINING = "kiln.dev/draining";
  /**
   * Annotation set on a draining worker once no model needs it, to the time its runtime was asked
   * to drain: from then on no request is routed there.
   */
  public static final String DRAIN_REQUESTED = "kiln.dev/drain-requested";

  private WorkerPodMetadata() {}
}
