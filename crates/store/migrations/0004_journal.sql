-- How far the event journal (DATA_DIR/journal/, used by `serve` on SQLite) has been applied:
-- the segment file and the byte offset after the last applied record. Written in the same
-- transaction as the rows it covers, so a restart applies each journal record exactly once.
CREATE TABLE journal_applied (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    segment BIGINT NOT NULL,
    byte_offset BIGINT NOT NULL
);
