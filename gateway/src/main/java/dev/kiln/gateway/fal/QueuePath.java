package dev.kiln.gateway.fal;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * What a path on the queue listener asks for: a submit to an endpoint, or the status, status
 * stream, result or cancellation of a request. Clients may keep the endpoint's sub-path in front
 * of {@code /requests/}, so everything before that segment is the endpoint id.
 */
public sealed interface QueuePath {

  /** {@code POST /{owner}/{app}[/{path}]}. */
  record Submit(EndpointId endpoint) implements QueuePath {}

  /** A call about one request already submitted. */
  sealed interface OfRequest extends QueuePath {
    EndpointId endpoint();

    String requestId();
  }

  /** {@code GET .../requests/{id}/status[/stream]}. */
  record Status(EndpointId endpoint, String requestId, boolean stream) implements OfRequest {}

  /** {@code GET .../requests/{id}} or {@code .../requests/{id}/response}. */
  record Result(EndpointId endpoint, String requestId) implements OfRequest {}

  /** {@code PUT .../requests/{id}/cancel}. */
  record Cancel(EndpointId endpoint, String requestId) implements OfRequest {}

  /**
   * Parses {@code method} and {@code path}.
   *
   * @throws FalException 404 for a path that is none of these, 405 for a known path with the wrong method
   */
  static QueuePath of(String method, String path) {
    List<String> segments = segments(path);
    int requests = segments.indexOf("requests");
    if (requests < 2) {
      require(method, "POST", path);
      return new Submit(EndpointId.of(segments));
    }
    EndpointId endpoint = EndpointId.of(segments.subList(0, requests));
    List<String> rest = segments.subList(requests + 1, segments.size());
    if (rest.isEmpty()) {
      throw FalException.notFound("no request id in " + path + ": use .../requests/{request_id}[/status|/cancel]");
    }
    String id = rest.getFirst();
    List<String> action = rest.subList(1, rest.size());
    if (action.isEmpty() || action.equals(List.of("response"))) {
      require(method, "GET", path);
      return new Result(endpoint, id);
    }
    if (action.equals(List.of("status")) || action.equals(List.of("status", "stream"))) {
      require(method, "GET", path);
      return new Status(endpoint, id, action.size() == 2);
    }
    if (action.equals(List.of("cancel"))) {
      require(method, "PUT", path);
      return new Cancel(endpoint, id);
    }
    throw FalException.notFound("unknown request action /" + String.join("/", action)
        + ": use /status, /status/stream, /response or /cancel");
  }

  /** The non-empty segments of {@code path}. */
  static List<String> segments(String path) {
    return Arrays.stream(path.split("/")).filter(segment -> !segment.isEmpty()).toList();
  }

  private static void require(String method, String expected, String path) {
    if (!expected.equalsIgnoreCase(method)) {
      throw new FalException(405, method + " " + path + " is not served: use " + expected, Optional.empty(), Optional.empty());
    }
  }
}
