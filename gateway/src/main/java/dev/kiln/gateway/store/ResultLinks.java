package dev.kiln.gateway.store;

import dev.kiln.gateway.queue.InMemoryBody;
import dev.kiln.gateway.queue.RequestRecord;
import dev.kiln.gateway.queue.RequestResult;
import dev.kiln.gateway.results.ResultFiles;
import java.net.URI;
import java.util.Optional;

/** A durable request's record as a caller sees it: references to stored outputs turned into URLs on its host. */
public final class ResultLinks {

  private ResultLinks() {}

  /** {@code done} with the references in its output turned into URLs under {@code queueBase}. */
  public static RequestRecord linked(RequestRecord done, URI queueBase) {
    if (done.result().isEmpty()) {
      return done;
    }
    RequestResult result = done.result().get();
    byte[] original = result.body().bytes();
    byte[] linked = ResultFiles.link(original, queueBase);
    if (linked == original) {
      return done;
    }
    return new RequestRecord(done.requestId(), done.model(), done.state(), done.createdAt(), done.startedAt(),
        done.finishedAt(), done.logs(), done.inferenceTime(),
        Optional.of(new RequestResult(result.statusCode(), result.contentType(), new InMemoryBody(linked))),
        done.error(), done.cancelRequested(), done.version());
  }
}
