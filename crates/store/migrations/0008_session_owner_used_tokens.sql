-- A session belongs to the API key that opened it: other platform keys cannot read or extend
-- it. NULL for sessions opened before this migration, which any key may still reach.
ALTER TABLE sessions ADD COLUMN owner TEXT;

-- Signed call assertions already used, remembered for as long as they could still verify, so
-- a used assertion stays used across restarts and across nodes. The id names the organisation
-- and its assertion id (origid); `until` is Unix seconds.
CREATE TABLE used_tokens (
    id    TEXT PRIMARY KEY,
    until BIGINT NOT NULL
);
CREATE INDEX used_tokens_until ON used_tokens (until);
