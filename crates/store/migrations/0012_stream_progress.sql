-- How far the stream workers got in each session's messages: the stream sequence of the last
-- message of a session that a worker finished (applied, answered or refused). A worker applies
-- a message only when no earlier message of its session is left, which keeps a session's
-- events in order across workers. `updated` (Unix ms) lets old rows be swept.
CREATE TABLE stream_progress (
    session_id TEXT   PRIMARY KEY,
    stream_seq BIGINT NOT NULL,
    updated    BIGINT NOT NULL
);
CREATE INDEX stream_progress_updated ON stream_progress (updated);
