package dev.kiln.crds.build;

import dev.kiln.crds.apikey.ApiKey;
import dev.kiln.crds.gpupool.GpuPool;
import dev.kiln.crds.model.Model;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Puts each generated CRD's {@code additionalPrinterColumns} in the order the type declares its
 * {@link AdditionalPrinterColumn}s, the order {@code kubectl get} shows them in. fabric8's
 * generator sorts them by JSON path instead (kubernetes-client issue 7454), which puts AGE second.
 * Runs in the build right after the generator; rewrites only the order of the columns' lines.
 */
public final class PrinterColumnOrder {

  private static final Map<String, Class<?>> TYPES = Map.of(
      "gpupools.kiln.dev-v1.yml", GpuPool.class, "models.kiln.dev-v1.yml", Model.class,
      "apikeys.kiln.dev-v1.yml", ApiKey.class);
  private static final Pattern NAME = Pattern.compile("^\\s+name: \"?([^\"]+)\"?$");

  private PrinterColumnOrder() {}

  /** @param args the directory the generator wrote the CRDs to */
  public static void main(String[] args) throws IOException {
    Path directory = Path.of(args[0]);
    for (Map.Entry<String, Class<?>> crd : TYPES.entrySet()) {
      Path file = directory.resolve(crd.getKey());
      List<String> declared = Arrays.stream(crd.getValue().getAnnotationsByType(AdditionalPrinterColumn.class))
          .map(AdditionalPrinterColumn::name).toList();
      Files.writeString(file, reorder(Files.readString(file, StandardCharsets.UTF_8), declared), StandardCharsets.UTF_8);
    }
  }

  /** {@code yaml} with the items of every {@code additionalPrinterColumns} list in the order of {@code names}. */
  static String reorder(String yaml, List<String> names) {
    List<String> lines = new ArrayList<>(yaml.lines().toList());
    for (int at = 0; at < lines.size(); at++) {
      String key = lines.get(at).strip();
      if (key.equals("additionalPrinterColumns:") || key.equals("- additionalPrinterColumns:")) {
        reorderListAfter(lines, at, names);
      }
    }
    return String.join("\n", lines) + (yaml.endsWith("\n") ? "\n" : "");
  }

  private static void reorderListAfter(List<String> lines, int header, List<String> names) {
    String itemIndent = lines.get(header + 1).substring(0, lines.get(header + 1).indexOf('-'));
    List<List<String>> items = new ArrayList<>();
    int end = header + 1;
    while (end < lines.size() && (lines.get(end).startsWith(itemIndent + "- ") || lines.get(end).startsWith(itemIndent + "  "))) {
      if (lines.get(end).startsWith(itemIndent + "- ")) {
        items.add(new ArrayList<>());
      }
      items.getLast().add(lines.get(end));
      end++;
    }
    List<String> ordered = items.stream()
        .map(item -> new Column(position(item, names), item))
        .sorted(Comparator.comparingInt(Column::position))
        .flatMap(column -> column.lines().stream())
        .toList();
    for (int i = 0; i < ordered.size(); i++) {
      lines.set(header + 1 + i, ordered.get(i));
    }
  }

  private record Column(int position, List<String> lines) {}

  private static int position(List<String> item, List<String> names) {
    for (String line : item) {
      Matcher name = NAME.matcher(line);
      if (name.matches() && names.contains(name.group(1))) {
        return names.indexOf(name.group(1));
      }
    }
    throw new IllegalStateException("a printer column that no @AdditionalPrinterColumn declares: " + item);
  }
}
