package dev.kiln.bench.report;

import java.util.List;

/**
 * What one benchmark run found, as {@link BenchmarkReport} puts it into {@code docs/benchmarks.md}:
 * every figure a ratio or a distribution against a baseline measured in the same run.
 *
 * @param name a file-safe name, also the order key in the report (e.g. {@code 1-gateway-overhead})
 * @param title the section's heading
 * @param summary markdown that says what was measured, against what, and how often
 * @param command the command line that produced these figures
 * @param date when the run started, ISO-8601 UTC
 * @param machine where it ran
 * @param tables the figures
 * @param charts the same figures, drawn
 * @param findings what the figures say, where Kiln loses included, and why we think so
 */
public record BenchResult(String name, String title, String summary, String command, String date, Machine machine,
    List<Table> tables, List<Chart> charts, List<String> findings) {

  public BenchResult {
    tables = List.copyOf(tables);
    charts = List.copyOf(charts);
    findings = List.copyOf(findings);
  }

  /** A markdown table. */
  public record Table(String title, List<String> columns, List<List<String>> rows, String note) {

    public Table {
      columns = List.copyOf(columns);
      rows = rows.stream().map(List::copyOf).toList();
      for (List<String> row : rows) {
        if (row.size() != columns.size()) {
          throw new IllegalArgumentException(title + ": row " + row + " has " + row.size() + " cells for "
              + columns.size() + " columns");
        }
      }
    }
  }

  /**
   * A bar chart: one group of bars per category, one bar per series. A {@code reference} draws a line
   * across at that value (1.0 for "same as the baseline").
   */
  public record Chart(String title, String valueAxis, List<String> categories, List<Series> series,
      Double reference) {

    public Chart {
      categories = List.copyOf(categories);
      series = List.copyOf(series);
      for (Series one : series) {
        if (one.values().size() != categories.size()) {
          throw new IllegalArgumentException(title + ": series " + one.name() + " has " + one.values().size()
              + " values for " + categories.size() + " categories");
        }
      }
    }
  }

  /** One bar per category; a missing value is {@code null} and draws no bar. */
  public record Series(String name, List<Double> values) {

    public Series {
      values = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(values));
    }
  }
}
