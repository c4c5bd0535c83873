-- Large outputs live in the result objects store (a directory or a bucket); the row keeps their keys, to delete them
-- when its retention ends, and the queue URL its caller used, to link them in its webhook.
ALTER TABLE requests ADD COLUMN result_objects      text[] NOT NULL DEFAULT '{}';
ALTER TABLE requests ADD COLUMN result_whole_object text;
ALTER TABLE requests ADD COLUMN queue_base          text;
