package dev.kiln.gateway.queue;

import java.time.Duration;
import java.util.Optional;

/**
 * Every request's state, logs, metrics and outcome, from submission until its retention after completion ends. Safe to
 * call from many threads. State changes only forward: {@code IN_QUEUE → IN_PROGRESS → COMPLETED}, or straight from
 * {@code IN_QUEUE} to {@code COMPLETED} (cancelled or start deadline passed).
 *
 * <p>Status streams: each change raises the request's {@link RequestRecord#version()}; {@link #awaitChange} blocks until
 * the version passes the one a stream last sent, so a stream sends each change (several quick changes may arrive as
 * one snapshot).
 */
public interface RequestStore extends RequestReader, AutoCloseable {

  /**
   * Records a new request as {@code IN_QUEUE}.
   *
   * @throws IllegalArgumentException when a request with this id is already known
   */
  RequestRecord create(String requestId, String model);

  /**
   * Marks a queued request {@code IN_PROGRESS}. The dispatcher checks {@link RequestRecord#cancelRequested()} on the
   * answer: a cancel that came after the request left the queue but before it started is seen there.
   *
   * @throws IllegalStateException when the request is unknown or not {@code IN_QUEUE}
   */
  RequestRecord markStarted(String requestId);

  /**
   * Appends a log line to a queued or running request.
   *
   * @throws IllegalStateException when the request is unknown or completed
   */
  void appendLog(String requestId, LogLine line);

  /**
   * Completes a running request with the model's output; its retention starts now.
   *
   * @param body the output bytes, owned by the store from now on
   * @param inferenceTime how long the model processed it
   * @throws IllegalStateException when the request is unknown or not {@code IN_PROGRESS}
   */
  RequestRecord complete(String requestId, int statusCode, String contentType, byte[] body, Duration inferenceTime);

  /**
   * Completes a queued or running request without a result; its retention starts now.
   *
   * @param inferenceTime how long it was processed, empty when it never ran
   * @throws IllegalStateException when the request is unknown or already completed
   */
  RequestRecord fail(String requestId, RequestError error, Optional<Duration> inferenceTime);

  /**
   * Marks a queued or running request for cancellation. The server removes a queued one from its {@link ModelQueue} and
   * {@linkplain #fail fails} it with {@link RequestError#cancelled()}; it tells the runtime to stop a running one.
   */
  CancelOutcome requestCancel(String requestId);


  /**
   * Forgets every completed request whose retention has ended and frees its result body.
   *
   * @return how many were forgotten
   */
  int expireDue();

  /** Frees every result body, deleting the spill files. */
  @Override
  void close();
}
