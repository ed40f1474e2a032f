-- A session's progress travels with its events: each event row carries the session's state,
-- last activity and expiry after it, so an event is one appended row and one index entry
-- instead of also rewriting the session row and moving its entry in sessions_open. The
-- session row is rewritten only when its highest action rises, when it closes, and when its
-- stored expiry has fallen more than a refresh window behind (see the server's sessions.rs).
-- Readers take the newest of the two: the store's session() merges them.
ALTER TABLE events ADD COLUMN session_state TEXT;
ALTER TABLE events ADD COLUMN session_updated INTEGER;
ALTER TABLE events ADD COLUMN session_expires INTEGER;

-- The audit trail of sessions: every event whose verdict warns or blocks is its own audit
-- record (rules, signals and reason are in its verdict), so sessions add no rows to `audit`
-- from this migration on; `audit` keeps scans and the session verdicts from before it. Time
-- order, for audit queries by period; appended to, since session_updated is the server's clock.
CREATE INDEX events_flagged ON events (session_updated)
    WHERE action <> 'allow' AND session_updated IS NOT NULL;
