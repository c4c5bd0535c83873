package dev.kiln.bench.gateway;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Throughput at saturation: wrk, in a process of its own, keeps {@code connections} requests in flight
 * for {@code seconds} (closed loop, which is right for a maximum rate but not for latency).
 */
final class WrkSaturation {

  private static final Pattern RATE = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
  private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses:\\s+(\\d+)");
  private static final Pattern SOCKET_ERRORS =
      Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");
  private static final Pattern REQUESTS = Pattern.compile("(\\d+) requests in");

  /** What one wrk run measured. */
  record Result(double requestsPerSecond, long requests, long errors) {}

  private final Path wrk;
  private final Path script;
  private final int connections;

  /**
   * @param wrk the wrk binary
   * @param work a directory for the request's Lua script
   */
  WrkSaturation(Path wrk, Path work, Map<String, String> headers, int connections) throws IOException {
    this.wrk = wrk;
    this.script = Files.writeString(work.resolve("request.lua"), script(headers));
    this.connections = connections;
  }

  Result run(Candidate candidate, double seconds) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(wrk.toString(), "-t1", "-c" + connections,
        "-d" + Math.max(1, Math.round(seconds)) + "s", "--timeout", "10s", "-s", script.toString(),
        candidate.url().toString()));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(Math.round(seconds) + 60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      process.destroyForcibly();
      throw new IOException("wrk against " + candidate.name() + " failed: " + output);
    }
    return parse(output);
  }

  static Result parse(String output) {
    Matcher rate = RATE.matcher(output);
    Matcher requests = REQUESTS.matcher(output);
    if (!rate.find() || !requests.find()) {
      throw new IllegalArgumentException("wrk printed no request rate: " + output);
    }
    long errors = 0;
    Matcher non2xx = NON_2XX.matcher(output);
    if (non2xx.find()) {
      errors += Long.parseLong(non2xx.group(1));
    }
    Matcher socket = SOCKET_ERRORS.matcher(output);
    if (socket.find()) {
      for (int group = 1; group <= 4; group++) {
        errors += Long.parseLong(socket.group(group));
      }
    }
    return new Result(Double.parseDouble(rate.group(1)), Long.parseLong(requests.group(1)), errors);
  }

  private static String script(Map<String, String> headers) {
    StringBuilder lua = new StringBuilder("wrk.method = \"POST\"\n")
        .append("wrk.body = ").append(luaString(Candidate.BODY)).append('\n');
    headers.forEach((name, value) -> lua.append(String.format(Locale.ROOT, "wrk.headers[%s] = %s%n", luaString(name),
        luaString(value))));
    return lua.toString();
  }

  private static String luaString(String text) {
    return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
