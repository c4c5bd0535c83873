package dev.kiln.runtime.gpu;

/**
 * An NVML call answered with an error: the message names the function and NVML's own description
 * of the {@code nvmlReturn_t} code, e.g. "nvmlDeviceGetMemoryInfo failed: GPU is lost (NVML error 15)".
 */
public final class NvmlException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** {@code NVML_ERROR_NOT_SUPPORTED}: the device does not report this value (utilisation on a MIG-enabled GPU). */
  static final int NOT_SUPPORTED = 3;

  private final int code;

  NvmlException(String function, int code, String description) {
    super(function + " failed: " + description + " (NVML error " + code + ")");
    this.code = code;
  }

  /** The {@code nvmlReturn_t} code. */
  public int code() {
    return code;
  }
}
