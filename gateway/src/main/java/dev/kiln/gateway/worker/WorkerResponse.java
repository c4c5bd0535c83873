package dev.kiln.gateway.worker;

import dev.kiln.gateway.queue.LogLine;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * A worker runtime's answer to a run: the model's status code, content type and body as they
 * came, with what the runtime measured.
 *
 * @param busySeconds the compute time the request took on the worker ({@code X-Kiln-Busy-Seconds})
 * @param modelVersion the version of the model that answered ({@code X-Kiln-Model-Version})
 * @param logs the request's log lines from the runtime ({@code X-Kiln-Logs})
 */
public record WorkerResponse(int status, String contentType, byte[] body, OptionalDouble busySeconds,
    Optional<String> modelVersion, List<LogLine> logs) {

  public WorkerResponse {
    logs = List.copyOf(logs);
  }
}
