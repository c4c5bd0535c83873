package dev.kiln.bench.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Results as JSON files, one per benchmark ({@code <name>.json}), which Python benchmarks write too. */
public final class ResultFiles {

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ResultFiles() {}

  public static Path write(BenchResult result, Path directory) {
    try {
      Files.createDirectories(directory);
      Path file = directory.resolve(result.name() + ".json");
      JSON.writeValue(file.toFile(), result);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every result in the directory, in name order. */
  public static List<BenchResult> readAll(Path directory) {
    try (Stream<Path> files = Files.list(directory)) {
      return files.filter(file -> file.getFileName().toString().endsWith(".json")).sorted()
          .map(ResultFiles::read).sorted(Comparator.comparing(BenchResult::name)).toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + directory, e);
    }
  }

  public static BenchResult read(Path file) {
    try {
      return JSON.readValue(file.toFile(), BenchResult.class);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the benchmark result " + file + ": " + e.getMessage(), e);
    }
  }
}
