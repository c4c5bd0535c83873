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
  /**
   * Annotation set on a worker the operator means to remove, to the time it was marked: nothing
   * new is placed or routed there.
   */
  public static final String DRAINING = "kiln.dev/draining";

  private WorkerPodMetadata() {}
}
