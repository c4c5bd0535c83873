package dev.kiln.local.node;

/** A container cannot be started as specified; reported as {@code CreateContainerConfigError}. */
final class ContainerConfigException extends Exception {

  private static final long serialVersionUID = 1L;

  ContainerConfigException(String message) {
    super(message);
  }
}
