package dev.kiln.bench.report;

import java.util.List;
import java.util.stream.Collectors;

/** A {@link BenchResult.Table} in markdown, for the report and for the console. */
final class MarkdownTable {

  private MarkdownTable() {}

  static String of(BenchResult.Table table) {
    StringBuilder text = new StringBuilder();
    if (table.title() != null && !table.title().isBlank()) {
      text.append("**").append(table.title()).append("**\n\n");
    }
    text.append(row(table.columns())).append(row(table.columns().stream().map(column -> "---").toList()));
    table.rows().forEach(row -> text.append(row(row)));
    text.append('\n');
    if (table.note() != null && !table.note().isBlank()) {
      text.append(table.note().strip()).append("\n\n");
    }
    return text.toString();
  }

  private static String row(List<String> cells) {
    return cells.stream().map(cell -> cell.replace("|", "\\|")).collect(Collectors.joining(" | ", "| ", " |\n"));
  }
}
