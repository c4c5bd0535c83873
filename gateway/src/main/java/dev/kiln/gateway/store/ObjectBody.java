package dev.kiln.gateway.store;

import dev.kiln.gateway.queue.StoredBody;
import dev.kiln.gateway.results.ResultFiles;

/** A whole output kept in the result objects store, read when it is first asked for. */
final class ObjectBody implements StoredBody {

  private final ResultFiles results;
  private final String key;
  private byte[] content;

  ObjectBody(ResultFiles results, String key) {
    this.results = results;
    this.key = key;
  }

  @Override
  public long size() {
    return bytes().length;
  }

  @Override
  public boolean spilled() {
    return true;
  }

  @Override
  public synchronized byte[] bytes() {
    if (content == null) {
      content = results.wholeOutput(key);
    }
    return content;
  }
}
