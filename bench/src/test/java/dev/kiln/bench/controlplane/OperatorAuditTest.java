package dev.kiln.bench.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OperatorAuditTest {

  @TempDir
  Path directory;

  private static String event(String id, String stage, String verb, int code, String received) {
    return """
        {"kind":"Event","auditID":"%s","stage":"%s","verb":"%s","responseStatus":{"code":%d},\
        "requestReceivedTimestamp":"%s"}
        """.formatted(id, stage, verb, code, received);
  }

  @Test
  void countsEachRequestOnceByVerbInTheTimeAcrossRotatedFiles() throws IOException {
    OperatorAudit audit = OperatorAudit.of("system:serviceaccount:kiln:kiln-operator", directory);
    assertThat(String.join(" ", audit.apiServerFlags())).contains("--audit-log-path=" + directory.resolve("audit.log"));
    assertThat(Files.readString(directory.resolve("audit-policy.yaml"))).contains("system:serviceaccount:kiln:kiln-operator");
    Files.writeString(directory.resolve("audit-2026-11-25T21-04-48.848.log"),
        event("early", "ResponseComplete", "list", 200, "2026-11-25T20:59:59Z")
            + event("w", "ResponseStarted", "watch", 200, "2026-11-25T21:00:01Z")
            + event("g1", "ResponseComplete", "get", 200, "2026-11-25T21:00:02Z"));
    Files.writeString(directory.resolve("audit.log"),
        event("w", "ResponseComplete", "watch", 200, "2026-11-25T21:00:01Z")
            + event("p1", "ResponseComplete", "patch", 409, "2026-11-25T21:00:03Z")
            + event("p2", "ResponseComplete", "patch", 200, "2026-11-25T21:00:04Z")
            + event("late", "ResponseComplete", "get", 200, "2026-11-25T21:00:06Z"));

    AuditedRequests requests = audit.requests(Instant.parse("2026-11-25T21:00:00Z"), Instant.parse("2026-11-25T21:00:05Z"));

    assertThat(requests.byVerb()).isEqualTo(Map.of("watch", 1L, "get", 1L, "patch", 2L));
    assertThat(requests.total()).isEqualTo(4);
    assertThat(requests.conflicts()).isEqualTo(1);
  }
}
