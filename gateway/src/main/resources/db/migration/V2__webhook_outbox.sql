-- A webhook to send for each completed request that asked for one: written in the same transaction as the
-- completion, then delivered by any replica, retried with backoff, until delivered, refused or given up.
CREATE TABLE webhook_deliveries (
  request_id       text PRIMARY KEY,
  url              text        NOT NULL,
  api_key          text        NOT NULL,
  payload          bytea       NOT NULL,
  state            text        NOT NULL CHECK (state IN ('PENDING', 'DELIVERED', 'REFUSED', 'GAVE_UP')),
  attempts         integer     NOT NULL DEFAULT 0,
  next_attempt_at  timestamptz NOT NULL,
  lease_owner      text,
  lease_expires_at timestamptz,
  attempt_log      jsonb       NOT NULL DEFAULT '[]',
  created_at       timestamptz NOT NULL
);

CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE state = 'PENDING';
