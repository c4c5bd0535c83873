package dev.kiln.gateway.store;

import dev.kiln.gateway.queue.InMemoryBody;
import dev.kiln.gateway.queue.CancelOutcome;
import dev.kiln.gateway.queue.Lane;
import dev.kiln.gateway.queue.LogLine;
import dev.kiln.gateway.queue.Lookup;
import dev.kiln.gateway.queue.OfferResult;
import dev.kiln.gateway.queue.RequestError;
import dev.kiln.gateway.queue.RequestRecord;
import dev.kiln.gateway.queue.RequestResult;
import dev.kiln.gateway.queue.RequestState;
import dev.kiln.gateway.queue.Submission;
import dev.kiln.gateway.queue.WorkerPath;
import dev.kiln.gateway.results.ResultFiles;
import dev.kiln.gateway.results.StoredObject;
import dev.kiln.gateway.results.StoredResult;
import dev.kiln.gateway.routing.ModelKey;
import java.math.BigDecimal;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;

/**
 * The queue API's requests in PostgreSQL, shared by every gateway replica: what one replica accepts, any replica may
 * run, and a status, result or cancel can go to any of them.
 *
 * <p>A replica {@linkplain #claimNext claims} the next waiting request of a model when one of its workers has room
 * ({@code FOR UPDATE SKIP LOCKED}: replicas claiming at once take different rows, none waits for another) and holds it
 * under a lease it {@linkplain #renewLeases renews} while the run lasts. A replica that stops holding leases (killed,
 * its node lost) has its requests {@linkplain #reclaimExpired put back} at the front of their queue for another to
 * run. Only the lease's holder can complete a request, so each completes once, and its usage row and its webhook (in
 * the {@link WebhookOutbox}) are written in the same transaction.
 */
public final class DurableQueue {

  /** A request whose lease ran out this many times is failed rather than run again. */
  static final int MAX_CLAIMS = 3;

  private static final String RECORD_COLUMNS = "id, model, state, created_at, started_at, finished_at, logs, "
      + "inference_seconds, result_status, result_content_type, result_body, error_message, error_type, "
      + "cancel_requested, version, forgotten, result_whole_object";

  private final Database database;
  private final String replica;
  private final Clock clock;
  private final Duration leaseTime;
  private final Duration retention;
  private final int capacity;
  private final Function<RequestRecord, byte[]> webhookPayload;
  private final ResultFiles results;

  /**
   * @param replica this replica's name, which its leases carry
   * @param leaseTime how long a claim holds without being renewed
   * @param retention how long a completed request stays readable
   * @param capacity the most requests one model's queue holds
   * @param webhookPayload the body of a completed request's webhook
   * @param results where outputs too large for the database go
   */
  public DurableQueue(Database database, String replica, Clock clock, Duration leaseTime, Duration retention,
      int capacity, Function<RequestRecord, byte[]> webhookPayload, ResultFiles results) {
    this.database = database;
    this.replica = replica;
    this.clock = clock;
    this.leaseTime = leaseTime;
    this.retention = retention;
    this.capacity = capacity;
    this.webhookPayload = webhookPayload;
    this.results = results;
  }

  public String replica() {
    return replica;
  }

  /**
   * Records {@code submission} as waiting, unless its model's queue holds {@code capacity} requests or more than the
   * caller's {@code maxQueueLength}.
   *
   * @param queueBase the queue listener's URL as its caller reached it, for the URLs of its large outputs in its webhook
   */
  public OfferResult accept(Submission submission, OptionalInt maxQueueLength, URI queueBase) {
    return database.inTransaction(connection -> {
      int waiting = waiting(connection, submission.model());
      if (waiting >= capacity) {
        return new OfferResult.Refused(OfferResult.Reason.QUEUE_FULL, waiting, capacity);
      }
      if (maxQueueLength.isPresent() && waiting > maxQueueLength.getAsInt()) {
        return new OfferResult.Refused(OfferResult.Reason.CALLER_LIMIT, waiting, maxQueueLength.getAsInt());
      }
      insert(connection, submission, Optional.empty(), queueBase);
      return new OfferResult.Accepted(waiting);
    });
  }

  /**
   * Records every one of {@code items}, all for one model, as waiting, in one transaction, as the batch {@code
   * batchId}; none when the model's queue cannot take them all.
   */
  public OfferResult acceptBatch(String batchId, ModelKey model, String apiKey, List<Submission> items,
      URI queueBase) {
    return database.inTransaction(connection -> {
      int waiting = waiting(connection, model);
      if (waiting + items.size() > capacity) {
        return new OfferResult.Refused(OfferResult.Reason.QUEUE_FULL, waiting, capacity);
      }
      try (PreparedStatement insert = connection.prepareStatement(
          "INSERT INTO batches (id, model, api_key, size, created_at) VALUES (?, ?, ?, ?, ?)")) {
        insert.setString(1, batchId);
        insert.setString(2, model.toString());
        insert.setString(3, apiKey);
        insert.setInt(4, items.size());
        insert.setObject(5, timestamp(clock.instant()));
        insert.executeUpdate();
      }
      for (Submission item : items) {
        insert(connection, item, Optional.of(batchId), queueBase);
      }
      return new OfferResult.Accepted(waiting);
    });
  }

  /** The batch {@code batchId} with where each of its requests stands, if there is one. */
  public Optional<Batch> batch(String batchId) {
    return database.inTransaction(connection -> {
      ModelKey model;
      Instant createdAt;
      try (PreparedStatement select = connection.prepareStatement(
          "SELECT model, created_at FROM batches WHERE id = ?")) {
        select.setString(1, batchId);
        try (ResultSet row = select.executeQuery()) {
          if (!row.next()) {
            return Optional.<Batch>empty();
          }
          model = ModelKey.parse(row.getString(1));
          createdAt = instant(row, "created_at").orElseThrow();
        }
      }
      List<BatchItem> items = new ArrayList<>();
      try (PreparedStatement select = connection.prepareStatement("""
          SELECT id, state, error_message IS NULL AND result_status < 400 FROM requests
          WHERE batch_id = ? ORDER BY created_at, id""")) {
        select.setString(1, batchId);
        try (ResultSet rows = select.executeQuery()) {
          while (rows.next()) {
            items.add(new BatchItem(rows.getString(1), RequestState.valueOf(rows.getString(2)), rows.getBoolean(3)));
          }
        }
      }
      return Optional.of(new Batch(batchId, model, createdAt, items));
    });
  }

  /** Claims the longest-waiting request of {@code model} in its most urgent lane, if any waits. */
  public Optional<Claimed> claimNext(ModelKey model) {
    return claim("""
        WHERE id = (SELECT id FROM requests
                    WHERE model = ? AND state = 'IN_QUEUE' AND (start_deadline IS NULL OR start_deadline > ?)
                    ORDER BY lane, created_at, id
                    FOR UPDATE SKIP LOCKED
                    LIMIT 1)""", statement -> {
      statement.setString(4, model.toString());
      statement.setObject(5, timestamp(clock.instant()));
    });
  }

  /** Claims one request by id, if it still waits: for the queue-free path, where it starts as soon as accepted. */
  public Optional<Claimed> claim(String requestId) {
    return claim("WHERE id = ? AND state = 'IN_QUEUE'", statement -> statement.setString(4, requestId));
  }

  private Optional<Claimed> claim(String where, Parameters parameters) {
    Instant now = clock.instant();
    return database.inTransaction(connection -> {
      try (PreparedStatement update = connection.prepareStatement("""
          UPDATE requests SET state = 'IN_PROGRESS', started_at = COALESCE(started_at, ?), lease_owner = ?,
                              lease_expires_at = ?, claims = claims + 1, version = version + 1
          """ + where + """

          RETURNING id, model, api_key, lane, worker_path, content_type, body, runner_hint, retry, start_deadline,
                    webhook_url, claims""")) {
        update.setObject(1, timestamp(now));
        update.setString(2, replica);
        update.setObject(3, timestamp(now.plus(leaseTime)));
        parameters.set(update);
        try (ResultSet row = update.executeQuery()) {
          return row.next() ? Optional.of(new Claimed(submission(row), row.getInt("claims"))) : Optional.empty();
        }
      }
    });
  }

  /**
   * Extends this replica's leases on {@code requestIds}.
   *
   * @return what became of them: those still held, and of these the ones their callers asked to cancel
   */
  public LeaseRenewal renewLeases(List<String> requestIds) {
    if (requestIds.isEmpty()) {
      return new LeaseRenewal(List.of(), List.of());
    }
    return database.inTransaction(connection -> {
      try (PreparedStatement update = connection.prepareStatement("""
          UPDATE requests SET lease_expires_at = ?
          WHERE id = ANY (?) AND state = 'IN_PROGRESS' AND lease_owner = ?
          RETURNING id, cancel_requested""")) {
        update.setObject(1, timestamp(clock.instant().plus(leaseTime)));
        update.setArray(2, connection.createArrayOf("text", requestIds.toArray()));
        update.setString(3, replica);
        List<String> held = new ArrayList<>();
        List<String> cancelRequested = new ArrayList<>();
        try (ResultSet rows = update.executeQuery()) {
          while (rows.next()) {
            held.add(rows.getString(1));
            if (rows.getBoolean(2)) {
              cancelRequested.add(rows.getString(1));
            }
          }
        }
        return new LeaseRenewal(held, cancelRequested);
      }
    });
  }

  /**
   * Puts requests whose lease ran out (their replica stopped) back in their queue, at its front as they keep their
   * arrival time; one claimed {@value #MAX_CLAIMS} times already, or sent with {@code X-Fal-No-Retry}, fails with
   * {@code runner_disconnected} instead, as it may have run.
   *
   * @return the ids put back
   */
  public List<String> reclaimExpired() {
    Instant now = clock.instant();
    return database.inTransaction(connection -> {
      List<String> failed = new ArrayList<>();
      try (PreparedStatement update = connection.prepareStatement(completeSql("""
          error_message = 'The gateway replica running this request stopped before it completed; it may have run, '
                          || 'so it was not run again: submit it again',
          error_type = 'runner_disconnected'""", "state = 'IN_PROGRESS' AND lease_expires_at < ? AND (claims >= ? OR NOT retry)")
          + " RETURNING id")) {
        update.setObject(1, timestamp(now));
        update.setObject(2, timestamp(now.plus(retention)));
        update.setObject(3, timestamp(now));
        update.setInt(4, MAX_CLAIMS);
        try (ResultSet rows = update.executeQuery()) {
          while (rows.next()) {
            failed.add(rows.getString(1));
          }
        }
      }
      for (String id : failed) {
        completed(connection, id, now);
      }
      List<String> requeued = new ArrayList<>();
      try (PreparedStatement update = connection.prepareStatement("""
          UPDATE requests SET state = 'IN_QUEUE', lease_owner = NULL, lease_expires_at = NULL, version = version + 1
          WHERE state = 'IN_PROGRESS' AND lease_expires_at < ?
          RETURNING id""")) {
        update.setObject(1, timestamp(now));
        try (ResultSet rows = update.executeQuery()) {
          while (rows.next()) {
            requeued.add(rows.getString(1));
          }
        }
      }
      return requeued;
    });
  }

  /** Gives back a claimed request that never reached a worker: it waits again, at the front of its queue. */
  public void release(String requestId) {
    database.inTransaction(connection -> {
      try (PreparedStatement update = connection.prepareStatement("""
          UPDATE requests SET state = 'IN_QUEUE', lease_owner = NULL, lease_expires_at = NULL, claims = claims - 1,
                              version = version + 1
          WHERE id = ? AND state = 'IN_PROGRESS' AND lease_owner = ?""")) {
        update.setString(1, requestId);
        update.setString(2, replica);
        return update.executeUpdate();
      }
    });
  }

  /**
   * Completes a request this replica holds with the model's output, and writes its usage row in the same transaction.
   *
   * @return the completed record; empty when this replica no longer holds it (its lease ran out and another replica
   *     took it over, or it was completed otherwise), in which case nothing was written
   */
  public Optional<RequestRecord> complete(String requestId, int statusCode, String contentType, byte[] body,
      Duration inferenceTime, List<LogLine> logs, BigDecimal pricePerSecond) {
    Instant now = clock.instant();
    StoredResult stored = results.store(requestId, contentType, body);
    return database.inTransaction(connection -> {
      String model;
      String apiKey;
      try (PreparedStatement update = connection.prepareStatement(completeSql("""
          result_status = ?, result_content_type = ?, result_body = ?, inference_seconds = ?,
          logs = logs || ?::jsonb, result_objects = ?, result_whole_object = ?""",
          "id = ? AND state = 'IN_PROGRESS' AND lease_owner = ?")
          + " RETURNING model, api_key")) {
        update.setObject(1, timestamp(now));
        update.setObject(2, timestamp(now.plus(retention)));
        update.setInt(3, statusCode);
        update.setString(4, contentType);
        update.setBytes(5, stored.body());
        update.setDouble(6, seconds(inferenceTime));
        update.setString(7, LogLines.toJson(logs));
        update.setArray(8, connection.createArrayOf("text", stored.keys().toArray()));
        update.setString(9, stored.wholeOutput().orElse(null));
        update.setString(10, requestId);
        update.setString(11, replica);
        try (ResultSet row = update.executeQuery()) {
          if (!row.next()) {
            return Optional.<RequestRecord>empty();
          }
          model = row.getString(1);
          apiKey = row.getString(2);
        }
      }
      PostgresSpendLedger.record(connection, new Usage(requestId, apiKey, model, inferenceTime, pricePerSecond, now));
      return Optional.of(completed(connection, requestId, now));
    });
  }

  /**
   * Completes a request this replica holds without a result.
   *
   * @return the completed record; empty when this replica no longer holds it, in which case nothing was written
   */
  public Optional<RequestRecord> fail(String requestId, RequestError error) {
    Instant now = clock.instant();
    return database.inTransaction(connection -> {
      try (PreparedStatement update = connection.prepareStatement(completeSql("error_message = ?, error_type = ?",
          "id = ? AND state = 'IN_PROGRESS' AND lease_owner = ?"))) {
        update.setObject(1, timestamp(now));
        update.setObject(2, timestamp(now.plus(retention)));
        update.setString(3, error.message());
        update.setString(4, error.errorType());
        update.setString(5, requestId);
        update.setString(6, replica);
        if (update.executeUpdate() == 0) {
          return Optional.<RequestRecord>empty();
        }
      }
      return Optional.of(completed(connection, requestId, now));
    });
  }

  /**
   * Fails every waiting request whose start deadline ({@code X-Fal-Request-Timeout}) has passed.
   *
   * @return their completed records
   */
  public List<RequestRecord> expireStartDeadlines() {
    Instant now = clock.instant();
    RequestError error = RequestError.startDeadlinePassed();
    return database.inTransaction(connection -> {
      List<RequestRecord> expired = new ArrayList<>();
      try (PreparedStatement update = connection.prepareStatement(completeSql("error_message = ?, error_type = ?",
          "state = 'IN_QUEUE' AND start_deadline <= ?") + " RETURNING id")) {
        update.setObject(1, timestamp(now));
        update.setObject(2, timestamp(now.plus(retention)));
        update.setString(3, error.message());
        update.setString(4, error.errorType());
        update.setObject(5, timestamp(now));
        List<String> ids = new ArrayList<>();
        try (ResultSet rows = update.executeQuery()) {
          while (rows.next()) {
            ids.add(rows.getString(1));
          }
        }
        for (String id : ids) {
          expired.add(completed(connection, id, now));
        }
      }
      return expired;
    });
  }

  /**
   * Cancels a waiting request at once (it completes with {@link RequestError#cancelled()}), or marks a running one
   * for its replica to stop at its next lease renewal.
   */
  public CancelOutcome requestCancel(String requestId) {
    Instant now = clock.instant();
    RequestError cancelled = RequestError.cancelled();
    return database.inTransaction(connection -> {
      try (PreparedStatement update = connection.prepareStatement(completeSql("error_message = ?, error_type = ?",
          "id = ? AND state = 'IN_QUEUE'"))) {
        update.setObject(1, timestamp(now));
        update.setObject(2, timestamp(now.plus(retention)));
        update.setString(3, cancelled.message());
        update.setString(4, cancelled.errorType());
        update.setString(5, requestId);
        if (update.executeUpdate() == 1) {
          completed(connection, requestId, now);
          return CancelOutcome.CANCELLATION_REQUESTED;
        }
      }
      try (PreparedStatement update = connection.prepareStatement("""
          UPDATE requests SET cancel_requested = true, version = version + 1
          WHERE id = ? AND state = 'IN_PROGRESS'""")) {
        update.setString(1, requestId);
        if (update.executeUpdate() == 1) {
          return CancelOutcome.CANCELLATION_REQUESTED;
        }
      }
      return find(connection, requestId).isPresent() ? CancelOutcome.ALREADY_COMPLETED : CancelOutcome.NOT_FOUND;
    });
  }

  /** The request's latest snapshot, or whether its retention ended or it never existed. */
  public Lookup lookup(String requestId) {
    return database.inTransaction(connection -> {
      try (PreparedStatement select = connection.prepareStatement(
          "SELECT " + RECORD_COLUMNS + " FROM requests WHERE id = ?")) {
        select.setString(1, requestId);
        try (ResultSet row = select.executeQuery()) {
          if (!row.next()) {
            return new Lookup.NotFound(requestId);
          }
          return row.getBoolean("forgotten") ? new Lookup.Expired(requestId) : new Lookup.Found(record(row));
        }
      }
    });
  }

  /** An object a large output went to, by the key its URL names. */
  public Optional<StoredObject> resultObject(String key) {
    return results.object(key);
  }

  /** How many requests wait ahead of {@code requestId} in its model's queue; empty once it left the queue. */
  public OptionalInt position(String requestId) {
    return database.inTransaction(connection -> {
      try (PreparedStatement select = connection.prepareStatement("""
          SELECT count(ahead.id) FROM requests me
          LEFT JOIN requests ahead ON ahead.model = me.model AND ahead.state = 'IN_QUEUE'
                                  AND (ahead.lane, ahead.created_at, ahead.id) < (me.lane, me.created_at, me.id)
          WHERE me.id = ? AND me.state = 'IN_QUEUE'
          GROUP BY me.id""")) {
        select.setString(1, requestId);
        try (ResultSet row = select.executeQuery()) {
          return row.next() ? OptionalInt.of(row.getInt(1)) : OptionalInt.empty();
        }
      }
    });
  }

  /** The models with requests waiting, for every replica to look for work it can start. */
  public List<ModelKey> modelsWithWaitingRequests() {
    return database.inTransaction(connection -> {
      List<ModelKey> models = new ArrayList<>();
      try (PreparedStatement select = connection.prepareStatement(
          "SELECT DISTINCT model FROM requests WHERE state = 'IN_QUEUE'");
          ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          models.add(ModelKey.parse(rows.getString(1)));
        }
      }
      return models;
    });
  }

  /**
   * How many requests of {@code model} that this replica accepted wait, in each lane (in {@link Lane} order): each
   * replica reports its own, so that the autoscaler, which adds up every replica's demand, counts each request once.
   */
  public int[] waitingByLane(ModelKey model) {
    return database.inTransaction(connection -> {
      int[] waiting = new int[Lane.values().length];
      try (PreparedStatement select = connection.prepareStatement(
          "SELECT lane, count(*) FROM requests WHERE model = ? AND state = 'IN_QUEUE' AND accepted_by = ? "
          + "GROUP BY lane")) {
        select.setString(1, model.toString());
        select.setString(2, replica);
        try (ResultSet rows = select.executeQuery()) {
          while (rows.next()) {
            waiting[rows.getShort(1)] = rows.getInt(2);
          }
        }
      }
      return waiting;
    });
  }

  /**
   * Forgets the input, result and logs of every request whose retention has ended; its id still answers that it
   * expired.
   *
   * @return how many were forgotten
   */
  public int expireDue() {
    List<String> objects = new ArrayList<>();
    int forgotten = database.inTransaction(connection -> {
      List<String> ids = new ArrayList<>();
      try (PreparedStatement select = connection.prepareStatement("""
          SELECT id, result_objects FROM requests
          WHERE state = 'COMPLETED' AND NOT forgotten AND retained_until <= ? FOR UPDATE SKIP LOCKED""")) {
        select.setObject(1, timestamp(clock.instant()));
        try (ResultSet rows = select.executeQuery()) {
          while (rows.next()) {
            ids.add(rows.getString(1));
            objects.addAll(List.of((String[]) rows.getArray(2).getArray()));
          }
        }
      }
      try (PreparedStatement update = connection.prepareStatement("""
          UPDATE requests SET forgotten = true, result_body = NULL, logs = '[]', result_objects = '{}'
          WHERE id = ANY (?)""")) {
        update.setArray(1, connection.createArrayOf("text", ids.toArray()));
        return update.executeUpdate();
      }
    });
    results.delete(objects);
    return forgotten;
  }


  /**
   * An UPDATE that completes requests: parameters 1 and 2 are the finish time and the end of retention, then those
   * of {@code set}, then those of {@code where}.
   */
  private static String completeSql(String set, String where) {
    return "UPDATE requests SET state = 'COMPLETED', finished_at = ?, retained_until = ?, body = NULL, "
        + "lease_owner = NULL, lease_expires_at = NULL, version = version + 1, " + set + " WHERE " + where;
  }

  /**
   * The record of a request completed in this transaction; its webhook, if it asked for one, goes into the outbox in
   * the same transaction.
   */
  private RequestRecord completed(Connection connection, String requestId, Instant now) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(
        "SELECT " + RECORD_COLUMNS + ", webhook_url, api_key, queue_base FROM requests WHERE id = ?")) {
      select.setString(1, requestId);
      try (ResultSet row = select.executeQuery()) {
        row.next();
        RequestRecord done = record(row);
        PostgresSpendLedger.release(connection, requestId);
        String webhook = row.getString("webhook_url");
        if (webhook != null) {
          RequestRecord linked = ResultLinks.linked(done, URI.create(row.getString("queue_base")));
          WebhookOutbox.add(connection, requestId, webhook, row.getString("api_key"), webhookPayload.apply(linked), now);
        }
        return done;
      }
    }
  }

  private void insert(Connection connection, Submission submission, Optional<String> batchId, URI queueBase)
      throws SQLException {
    try (PreparedStatement insert = connection.prepareStatement("""
        INSERT INTO requests (id, model, api_key, lane, state, worker_path, content_type, body, runner_hint, retry,
                              start_deadline, webhook_url, accepted_by, created_at, batch_id, queue_base)
        VALUES (?, ?, ?, ?, 'IN_QUEUE', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
      insert.setString(1, submission.requestId());
      insert.setString(2, submission.model().toString());
      insert.setString(3, submission.apiKey());
      insert.setShort(4, (short) submission.lane().ordinal());
      insert.setString(5, submission.workerPath().name());
      insert.setString(6, submission.contentType());
      insert.setBytes(7, submission.body());
      insert.setString(8, submission.runnerHint().orElse(null));
      insert.setBoolean(9, submission.retry());
      insert.setObject(10, submission.startDeadline().map(DurableQueue::timestamp).orElse(null),
          Types.TIMESTAMP_WITH_TIMEZONE);
      insert.setString(11, submission.webhook().map(URI::toString).orElse(null));
      insert.setString(12, replica);
      insert.setObject(13, timestamp(clock.instant()));
      insert.setString(14, batchId.orElse(null));
      insert.setString(15, queueBase.toString());
      insert.executeUpdate();
    }
  }

  private static int waiting(Connection connection, ModelKey model) throws SQLException {
    try (PreparedStatement count = connection.prepareStatement(
        "SELECT count(*) FROM requests WHERE model = ? AND state = 'IN_QUEUE'")) {
      count.setString(1, model.toString());
      try (ResultSet row = count.executeQuery()) {
        row.next();
        return row.getInt(1);
      }
    }
  }

  private Optional<RequestRecord> find(Connection connection, String requestId) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(
        "SELECT " + RECORD_COLUMNS + " FROM requests WHERE id = ?")) {
      select.setString(1, requestId);
      try (ResultSet row = select.executeQuery()) {
        return row.next() ? Optional.of(record(row)) : Optional.empty();
      }
    }
  }

  private static Submission submission(ResultSet row) throws SQLException {
    return new Submission(row.getString("id"), ModelKey.parse(row.getString("model")), row.getBytes("body"),
        row.getString("content_type"), Lane.values()[row.getShort("lane")],
        instant(row, "start_deadline"), Optional.ofNullable(row.getString("runner_hint")), row.getBoolean("retry"),
        row.getString("api_key"), WorkerPath.valueOf(row.getString("worker_path")),
        Optional.ofNullable(row.getString("webhook_url")).map(URI::create));
  }

  private RequestRecord record(ResultSet row) throws SQLException {
    Optional<RequestResult> result = Optional.empty();
    int status = row.getInt("result_status");
    if (!row.wasNull()) {
      byte[] body = row.getBytes("result_body");
      String wholeOutput = row.getString("result_whole_object");
      result = Optional.of(new RequestResult(status, row.getString("result_content_type"), wholeOutput != null
          ? new ObjectBody(results, wholeOutput)
          : new InMemoryBody(body == null ? new byte[0] : body)));
    }
    Optional<RequestError> error = Optional.ofNullable(row.getString("error_message"))
        .map(message -> new RequestError(message, orEmpty(row, "error_type")));
    double inference = row.getDouble("inference_seconds");
    Optional<Duration> inferenceTime = row.wasNull()
        ? Optional.empty()
        : Optional.of(Duration.ofNanos(Math.round(inference * 1e9)));
    return new RequestRecord(row.getString("id"), row.getString("model"), RequestState.valueOf(row.getString("state")),
        instant(row, "created_at").orElseThrow(), instant(row, "started_at"), instant(row, "finished_at"),
        LogLines.fromJson(row.getString("logs")), inferenceTime, result, error, row.getBoolean("cancel_requested"),
        row.getLong("version"));
  }

  private static String orEmpty(ResultSet row, String column) {
    try {
      String value = row.getString(column);
      return value == null ? "" : value;
    } catch (SQLException e) {
      throw new DatabaseException(e);
    }
  }

  private static Optional<Instant> instant(ResultSet row, String column) throws SQLException {
    return Optional.ofNullable(row.getObject(column, OffsetDateTime.class)).map(OffsetDateTime::toInstant);
  }

  private static OffsetDateTime timestamp(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }

  private static double seconds(Duration duration) {
    return duration.toNanos() / 1e9;
  }

  @FunctionalInterface
  private interface Parameters {
    void set(PreparedStatement statement) throws SQLException;
  }
}
