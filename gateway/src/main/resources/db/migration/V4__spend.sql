-- What each key spent each UTC day, kept current by every completion that cost something: a cap's period (a day or
-- a month) is the sum of at most 31 rows.
CREATE TABLE key_spend_daily (
  api_key text    NOT NULL,
  day     date    NOT NULL,
  spent   numeric NOT NULL,
  PRIMARY KEY (api_key, day)
);

-- What requests admitted against a spend cap are expected to cost, until they complete.
CREATE TABLE spend_reservations (
  request_id text PRIMARY KEY,
  api_key    text        NOT NULL,
  amount     numeric     NOT NULL,
  created_at timestamptz NOT NULL
);

CREATE INDEX spend_reservations_by_key ON spend_reservations (api_key);
