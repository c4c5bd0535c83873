package dev.kiln.crds.worker;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The residency annotations on a worker pod: {@value #DESIRED} (what the operator wants there) and
 * {@value #RESIDENT} (what the worker confirmed loaded and warm). Both hold
 * {@code name=version} entries separated by commas, in name order, e.g. {@code resnet=3f2a9c01b2d4,sd=77aa01ff9e10};
 * a model name never contains {@code =} or {@code ,}. Parsing skips blanks and malformed entries
 * rather than failing, so a hand-edited annotation cannot wedge the operator or the gateway. The
 * operator writes both; the gateway routes a model's version only to workers where it is
 * {@value #RESIDENT} or {@value #STAGED}.
 */
public final class ResidencyAnnotations {

  public static final String DESIRED = "kiln.dev/desired-models";
  public static final String RESIDENT = "kiln.dev/resident-models";
  /**
   * A new version of a model loaded and warm beside the one in {@value #RESIDENT}, waiting for the
   * model's status to switch to it; the gateway routes that version here once it does.
   */
  public static final String STAGED = "kiln.dev/staged-models";

  private ResidencyAnnotations() {}

  /** Model name to version; empty for a null or blank value. */
  public static SortedMap<String, String> parse(String value) {
    var entries = new TreeMap<String, String>();
    if (value == null) {
      return entries;
    }
    for (String entry : value.split(",")) {
      int equals = entry.indexOf('=');
      if (equals <= 0) {
        continue;
      }
      String name = entry.substring(0, equals).strip();
      String version = entry.substring(equals + 1).strip();
      if (!name.isEmpty() && !version.isEmpty()) {
        entries.put(name, version);
      }
    }
    return entries;
  }

  /** The annotation value for {@code entries}; null when there are none, which removes the annotation. */
  public static String format(Map<String, String> entries) {
    if (entries.isEmpty()) {
      return null;
    }
    return new TreeMap<>(entries).entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(","));
  }

  /** The entries of annotation {@code key} on an object with {@code annotations} (which may be null). */
  public static SortedMap<String, String> read(Map<String, String> annotations, String key) {
    return Collections.unmodifiableSortedMap(parse(annotations == null ? null : annotations.get(key)));
  }
}
