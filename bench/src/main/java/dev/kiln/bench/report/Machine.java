package dev.kiln.bench.report;

import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** The machine a benchmark ran on, as the report names it next to every figure. */
public record Machine(int cores, long memoryBytes, String cpu, String os, String java) {

  public static Machine current() {
    OperatingSystemMXBean os = ManagementFactory.getPlatformMXBean(OperatingSystemMXBean.class);
    return new Machine(Runtime.getRuntime().availableProcessors(), os.getTotalMemorySize(), cpuModel(),
        System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
        System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
  }

  /** E.g. "2 cores, 24 GiB, AMD EPYC 7B13". */
  public String describe() {
    return String.format(Locale.ROOT, "%d cores, %.0f GiB, %s", cores, memoryBytes / (double) (1L << 30), cpu);
  }

  private static String cpuModel() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
          .filter(line -> line.startsWith("model name"))
          .map(line -> line.substring(line.indexOf(':') + 1).strip())
          .findFirst().orElse(System.getProperty("os.arch"));
    } catch (IOException e) {
      return System.getProperty("os.arch");
    }
  }
}
