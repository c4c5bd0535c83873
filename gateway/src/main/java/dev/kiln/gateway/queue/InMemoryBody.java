package dev.kiln.gateway.queue;

/** A result body held in memory; {@link #bytes()} hands out a copy. */
public record InMemoryBody(byte[] content) implements StoredBody {

  @Override
  public long size() {
    return content.length;
  }

  @Override
  public boolean spilled() {
    return false;
  }

  @Override
  public byte[] bytes() {
    return content.clone();
  }
}
