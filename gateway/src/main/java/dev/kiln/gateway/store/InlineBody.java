package dev.kiln.gateway.store;

import dev.kiln.gateway.queue.StoredBody;

/** A result body read from the database with its row. */
record InlineBody(byte[] content) implements StoredBody {

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
    return content;
  }
}
