package dev.kiln.gateway.results;

import java.util.List;
import java.util.Optional;

/**
 * A result as the database keeps it once its large parts went to the {@link ResultObjects}.
 *
 * @param body what the database holds: the output with references in place of its large data URIs, or nothing when
 *     the whole output is an object
 * @param wholeOutput the key of the object holding the whole output, when it was too large and no JSON
 * @param keys every object stored for it
 */
public record StoredResult(byte[] body, Optional<String> wholeOutput, List<String> keys) {

  public StoredResult {
    keys = List.copyOf(keys);
  }
}
