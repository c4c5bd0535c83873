-- Many inputs submitted in one call: each is a request of its own, and the batch sums them up.
CREATE TABLE batches (
  id         text PRIMARY KEY,
  model      text        NOT NULL,
  api_key    text        NOT NULL,
  size       integer     NOT NULL,
  created_at timestamptz NOT NULL
);

ALTER TABLE requests ADD COLUMN batch_id text REFERENCES batches (id);
CREATE INDEX requests_batch ON requests (batch_id) WHERE batch_id IS NOT NULL;
