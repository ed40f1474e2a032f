-- Logins to the analyst console. The browser's cookie holds a random id; only its SHA-256 is
-- kept here, so the database cannot be turned back into a working cookie. A login names the
-- admin key that made it (revoking the key ends it) and ends at logout or at `expires`
-- (Unix ms), after which retention deletes the row.
CREATE TABLE console_logins (
    id_hash TEXT PRIMARY KEY,
    key_id  TEXT NOT NULL REFERENCES api_keys (id),
    created INTEGER NOT NULL,
    expires INTEGER NOT NULL
);
CREATE INDEX console_logins_expires ON console_logins (expires);
