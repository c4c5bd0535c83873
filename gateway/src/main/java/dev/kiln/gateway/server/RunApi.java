package dev.kiln.gateway.server;

import dev.kiln.gateway.queue.Submission;
import dev.kiln.gateway.queue.WorkerPath;
import dev.kiln.gateway.auth.AuthenticatedKey;
import dev.kiln.gateway.fal.FalException;
import dev.kiln.gateway.fal.RunPath;
import dev.kiln.gateway.queue.RequestRecord;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.concurrent.ExecutionException;

/**
 * fal's run API: {@code POST /{owner}/{app}[/{path}]} answers with the model's output on the same
 * connection, {@code .../stream} with server-sent events whose last one is the output. Both go
 * through the dispatcher, so they start at once when a replica has room and wait their turn
 * otherwise.
 */
final class RunApi {

  private final Callers callers;
  private final Models models;
  private final SubmissionReader reader;
  private final Dispatcher dispatcher;

  RunApi(Callers callers, Models models, SubmissionReader reader, Dispatcher dispatcher) {
    this.callers = callers;
    this.models = models;
    this.reader = reader;
    this.dispatcher = dispatcher;
  }

  void serve(FalCall call, ServerResponse response) {
    try {
      if (!call.method().equalsIgnoreCase("POST")) {
        throw new FalException(405, call.method() + " " + call.path() + " is not served: run a model with POST",
            Optional.empty(), Optional.empty());
      }
      RunPath path = RunPath.of(call.path());
      AuthenticatedKey key = callers.admit(call.header("Authorization"), path.endpoint());
      models.require(path.endpoint());
      Submission submission = reader.read(call, path.endpoint(), key, WorkerPath.RUN);
      if (submission.webhook().isPresent()) {
        throw FalException.badRequest("fal_webhook is served by the queue API only: submit to the queue listener "
            + "(queue.fal.run) to be called back, the run API answers on the same connection");
      }
      RequestRecord done = dispatcher.submit(submission, key.spendCap(), SubmissionReader.maxQueueLength(call)).get();
      if (path.stream() && done.result().isPresent()) {
        try (Responses.EventStream events = Responses.events(response, Optional.of(done.requestId()))) {
          events.send(done.result().get().body().bytes());
        }
      } else {
        Responses.outcome(response, done);
      }
    } catch (FalException e) {
      Responses.error(response, e, Optional.empty());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      Responses.error(response, FalException.platform(503, "runner_disconnected", "the gateway is stopping"),
          Optional.empty());
    } catch (ExecutionException e) {
      throw new IllegalStateException("a run's outcome was lost", e.getCause());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
