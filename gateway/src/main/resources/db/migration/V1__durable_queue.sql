-- Every request accepted by the queue API, from submission until its retention ends.
CREATE TABLE requests (
  id                  text PRIMARY KEY,
  model               text        NOT NULL,
  api_key             text        NOT NULL,
  lane                smallint    NOT NULL,   -- Lane.ordinal(): lower starts first
  state               text        NOT NULL CHECK (state IN ('IN_QUEUE', 'IN_PROGRESS', 'COMPLETED')),
  worker_path         text        NOT NULL,
  content_type        text,
  body                bytea,                  -- the input; dropped once the request completes
  runner_hint         text,
  retry               boolean     NOT NULL,
  start_deadline      timestamptz,
  webhook_url         text,
  accepted_by         text        NOT NULL,   -- the replica that accepted it
  created_at          timestamptz NOT NULL,
  started_at          timestamptz,
  finished_at         timestamptz,
  retained_until      timestamptz,            -- set when it completes
  forgotten           boolean     NOT NULL DEFAULT false,
  lease_owner         text,                   -- the replica running it
  lease_expires_at    timestamptz,
  claims              integer     NOT NULL DEFAULT 0,
  cancel_requested    boolean     NOT NULL DEFAULT false,
  logs                jsonb       NOT NULL DEFAULT '[]',
  inference_seconds   double precision,
  result_status       integer,
  result_content_type text,
  result_body         bytea,
  error_message       text,
  error_type          text,
  version             bigint      NOT NULL DEFAULT 1
);

CREATE INDEX requests_waiting ON requests (model, lane, created_at, id) WHERE state = 'IN_QUEUE';
CREATE INDEX requests_leased ON requests (lease_expires_at) WHERE state = 'IN_PROGRESS';
CREATE INDEX requests_retained ON requests (retained_until) WHERE state = 'COMPLETED';

-- One row per completed request that ran: written in the same transaction as its completion.
CREATE TABLE usage (
  request_id       text PRIMARY KEY,
  api_key          text        NOT NULL,
  model            text        NOT NULL,
  compute_seconds  numeric     NOT NULL,
  price_per_second numeric     NOT NULL,
  cost             numeric     NOT NULL,
  finished_at      timestamptz NOT NULL
);

CREATE INDEX usage_by_key ON usage (api_key, finished_at);
