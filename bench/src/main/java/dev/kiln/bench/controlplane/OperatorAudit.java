package dev.kiln.bench.controlplane;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
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

/**
 * Counts one user's requests to the API server from kube-apiserver's audit log: a policy that logs
 * only that user's requests (metadata, no bodies), as JSON lines. A request is counted once by its
 * audit ID (a watch logs when its response starts and again when it ends), by verb, and so is each
 * write refused with 409 Conflict.
 */
final class OperatorAudit {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path policy;
  private final Path log;

  private OperatorAudit(Path policy, Path log) {
    this.policy = policy;
    this.log = log;
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
      return new OperatorAudit(policy, directory.resolve("audit.log"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What kube-apiserver needs to write the log. */
  List<String> apiServerFlags() {
    return List.of("--audit-policy-file=" + policy, "--audit-log-path=" + log, "--audit-log-format=json");
  }

  /** The requests received from {@code from} to {@code to}. */
  AuditedRequests requests(Instant from, Instant to) {
    Map<String, Long> byVerb = new HashMap<>();
    long conflicts = 0;
    Set<String> seen = new HashSet<>();
    try (BufferedReader lines = Files.newBufferedReader(log)) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        JsonNode event = JSON.readTree(line);
        Instant received = Instant.parse(event.path("requestReceivedTimestamp").asText());
        if (received.isBefore(from) || received.isAfter(to)) {
          continue;
        }
        if (seen.add(event.path("auditID").asText())) {
          byVerb.merge(event.path("verb").asText(), 1L, Long::sum);
        }
        if (event.path("stage").asText().equals("ResponseComplete")
            && event.path("responseStatus").path("code").asInt() == 409) {
          conflicts++;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the audit log " + log, e);
    }
    return new AuditedRequests(byVerb, conflicts);
  }
}
