package dev.kiln.gateway.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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

/**
 * Webhooks waiting to be delivered, in the database: a completion writes its webhook here in its own transaction, so
 * none is lost with the replica that completed the request. Any replica {@linkplain #claimDue claims} due ones under a
 * lease ({@code FOR UPDATE SKIP LOCKED}), attempts each, and records the attempt; one claimed by a replica that stops
 * is claimed again once its lease runs out. So a webhook is sent at least once, and twice only when a replica stops
 * between sending it and recording it: receivers tell repeats apart by the request id.
 */
public final class WebhookOutbox {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Database database;
  private final String replica;
  private final Clock clock;
  private final Duration leaseTime;

  /** @param leaseTime how long one attempt may take before another replica may make it */
  public WebhookOutbox(Database database, String replica, Clock clock, Duration leaseTime) {
    this.database = database;
    this.replica = replica;
    this.clock = clock;
    this.leaseTime = leaseTime;
  }

  /** Adds the webhook of a request completed in the transaction {@code connection} belongs to. */
  static void add(Connection connection, String requestId, String url, String apiKey, byte[] payload, Instant now)
      throws SQLException {
    try (PreparedStatement insert = connection.prepareStatement("""
        INSERT INTO webhook_deliveries (request_id, url, api_key, payload, state, next_attempt_at, created_at)
        VALUES (?, ?, ?, ?, 'PENDING', ?, ?)
        ON CONFLICT (request_id) DO NOTHING""")) {
      insert.setString(1, requestId);
      insert.setString(2, url);
      insert.setString(3, apiKey);
      insert.setBytes(4, payload);
      insert.setObject(5, timestamp(now));
      insert.setObject(6, timestamp(now));
      insert.executeUpdate();
    }
  }

  /** Claims up to {@code limit} webhooks whose next attempt is due, the longest due first. */
  public List<DueWebhook> claimDue(int limit) {
    Instant now = clock.instant();
    return database.inTransaction(connection -> {
      try (PreparedStatement update = connection.prepareStatement("""
          UPDATE webhook_deliveries SET lease_owner = ?, lease_expires_at = ?
          WHERE request_id IN (SELECT request_id FROM webhook_deliveries
                               WHERE state = 'PENDING' AND next_attempt_at <= ?
                                 AND (lease_expires_at IS NULL OR lease_expires_at < ?)
                               ORDER BY next_attempt_at
                               FOR UPDATE SKIP LOCKED
                               LIMIT ?)
          RETURNING request_id, url, api_key, payload, attempts""")) {
        update.setString(1, replica);
        update.setObject(2, timestamp(now.plus(leaseTime)));
        update.setObject(3, timestamp(now));
        update.setObject(4, timestamp(now));
        update.setInt(5, limit);
        List<DueWebhook> due = new ArrayList<>();
        try (ResultSet rows = update.executeQuery()) {
          while (rows.next()) {
            due.add(new DueWebhook(rows.getString(1), URI.create(rows.getString(2)), rows.getString(3),
                rows.getBytes(4), rows.getInt(5)));
          }
        }
        return due;
      }
    });
  }

  /**
   * Records an attempt this replica made on a webhook it claimed.
   *
   * @param nextAttemptAt when to try again; empty when this attempt ends the delivery
   * @param finalState the state it ends in when there is no next attempt: {@code DELIVERED}, {@code REFUSED} or
   *     {@code GAVE_UP}
   * @return false when this replica no longer held the webhook (its lease ran out), so nothing was recorded
   */
  public boolean record(DueWebhook webhook, WebhookAttempt attempt, Optional<Instant> nextAttemptAt,
      String finalState) {
    ObjectNode entry = JSON.createObjectNode().put("attempt", attempt.attempt()).put("at", attempt.at().toString());
    attempt.status().ifPresent(status -> entry.put("status", status));
    attempt.error().ifPresent(error -> entry.put("error", error));
    return database.inTransaction(connection -> {
      try (PreparedStatement update = connection.prepareStatement("""
          UPDATE webhook_deliveries
          SET attempts = ?, attempt_log = attempt_log || jsonb_build_array(?::jsonb), state = ?,
              next_attempt_at = COALESCE(?, next_attempt_at), lease_owner = NULL, lease_expires_at = NULL
          WHERE request_id = ? AND state = 'PENDING' AND lease_owner = ?""")) {
        update.setInt(1, attempt.attempt());
        update.setString(2, entry.toString());
        update.setString(3, nextAttemptAt.isPresent() ? "PENDING" : finalState);
        update.setObject(4, nextAttemptAt.map(WebhookOutbox::timestamp).orElse(null),
            Types.TIMESTAMP_WITH_TIMEZONE);
        update.setString(5, webhook.requestId());
        update.setString(6, replica);
        return update.executeUpdate() == 1;
      }
    });
  }

  /** The delivery log of {@code requestId}'s webhook, if it has one. */
  public Optional<WebhookLog> log(String requestId) {
    return database.inTransaction(connection -> {
      try (PreparedStatement select = connection.prepareStatement(
          "SELECT url, state, attempt_log, next_attempt_at FROM webhook_deliveries WHERE request_id = ?")) {
        select.setString(1, requestId);
        try (ResultSet row = select.executeQuery()) {
          if (!row.next()) {
            return Optional.<WebhookLog>empty();
          }
          String state = row.getString(2);
          Optional<Instant> next = state.equals("PENDING")
              ? Optional.of(row.getObject(4, OffsetDateTime.class).toInstant())
              : Optional.empty();
          return Optional.of(new WebhookLog(row.getString(1), state, attempts(row.getString(3)), next));
        }
      }
    });
  }

  private static List<WebhookAttempt> attempts(String json) {
    List<WebhookAttempt> attempts = new ArrayList<>();
    try {
      for (JsonNode node : JSON.readTree(json)) {
        attempts.add(new WebhookAttempt(node.path("attempt").asInt(), Instant.parse(node.path("at").asText()),
            node.has("status") ? OptionalInt.of(node.path("status").asInt()) : OptionalInt.empty(),
            Optional.ofNullable(node.get("error")).map(JsonNode::asText)));
      }
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("the attempt_log column holds no JSON array: " + e.getMessage(), e);
    }
    return attempts;
  }

  private static OffsetDateTime timestamp(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }
}
