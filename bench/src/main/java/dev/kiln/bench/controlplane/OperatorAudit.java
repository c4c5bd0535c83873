package dev.kiln.bench.controlplane;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Counts one user's requests to the API server from kube-apiserver's audit log: a policy that logs
 * only that user's requests (metadata, no bodies), as JSON lines. kube-apiserver starts a new file
 * every 100 MB, keeping the old ones beside it ({@code audit-<time>.log}), so all are read. A request
 * is counted once by its audit ID (a watch logs when its response starts and again when it ends), by
 * verb, and so is each write refused with 409 Conflict.
 */
final class OperatorAudit {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path directory;
  private final Path policy;

  private OperatorAudit(Path directory, Path policy) {
    this.directory = directory;
    this.policy = policy;
  }

  /** Writes the policy for {@code user} into {@code directory}, where the log will go too. */
  static OperatorAudit of(String user, Path directory) {
    try {
      Files.createDirectories(directory);
      Path policy = Files.writeString(directory.resolve("audit-policy.yaml"), """
          apiVersion: audit.k8s.io/v1
          kind: Policy
          omitStages: ["RequestReceived"]
          rules:
            - level: Metadata
              users: ["%s"]
            - level: None
          """.formatted(user));
      return new OperatorAudit(directory, policy);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What kube-apiserver needs to write the log. */
  List<String> apiServerFlags() {
    return List.of("--audit-policy-file=" + policy, "--audit-log-path=" + directory.resolve("audit.log"),
        "--audit-log-format=json");
  }

  /** The requests received from {@code from} to {@code to}. */
  AuditedRequests requests(Instant from, Instant to) {
    var counted = new Counted(from, to);
    try (Stream<Path> files = Files.list(directory)) {
      for (Path file : files.filter(OperatorAudit::isLog).sorted().toList()) {
        try (Stream<String> lines = Files.lines(file)) {
          lines.forEach(counted::add);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the audit log in " + directory, e);
    }
    return new AuditedRequests(counted.byVerb, counted.conflicts);
  }

  private static boolean isLog(Path file) {
    String name = file.getFileName().toString();
    return name.startsWith("audit") && name.endsWith(".log");
  }

  /** The tally of the events received in a time. */
  private static final class Counted {

    private final Instant from;
    private final Instant to;
    private final Set<String> seen = new HashSet<>();
    private final Map<String, Long> byVerb = new HashMap<>();
    private long conflicts;

    Counted(Instant from, Instant to) {
      this.from = from;
      this.to = to;
    }

    void add(String line) {
      JsonNode event;
      try {
        event = JSON.readTree(line);
      } catch (IOException e) {
        throw new UncheckedIOException("not an audit event: " + line, e);
      }
      Instant received = Instant.parse(event.path("requestReceivedTimestamp").asText());
      if (received.isBefore(from) || received.isAfter(to)) {
        return;
      }
      if (seen.add(event.path("auditID").asText())) {
        byVerb.merge(event.path("verb").asText(), 1L, Long::sum);
      }
      if (event.path("stage").asText().equals("ResponseComplete")
          && event.path("responseStatus").path("code").asInt() == 409) {
        conflicts++;
      }
    }
  }
}
