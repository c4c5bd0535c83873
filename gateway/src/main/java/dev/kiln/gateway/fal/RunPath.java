package dev.kiln.gateway.fal;

import java.util.List;

/**
 * What a path on the run listener asks for: {@code POST /{owner}/{app}[/{path}]} runs the model and
 * answers with its output; with a last segment {@code stream} it answers with server-sent events.
 */
public record RunPath(EndpointId endpoint, boolean stream) {

  /** Parses a run path. @throws FalException 404 when it names no endpoint */
  public static RunPath of(String path) {
    List<String> segments = QueuePath.segments(path);
    boolean stream = segments.size() > 2 && segments.getLast().equals("stream");
    return new RunPath(EndpointId.of(stream ? segments.subList(0, segments.size() - 1) : segments), stream);
  }
}
