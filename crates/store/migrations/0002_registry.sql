-- The registry of organisations that sign their calls, their keys, and an audit trail of every
--@sqlite -- change to either. SQLite. Lists (names, handles, numbers, domains) are JSON arrays as text.
--@postgres -- change to either. PostgreSQL. Lists (names, handles, numbers, domains) are JSON arrays as text.
-- Record times (created, updated, at, revoked) are Unix milliseconds like every other table;
-- key validity (not_before, not_after) is Unix seconds, the unit of a token's iat.

CREATE TABLE registry_organisations (
    id               TEXT PRIMARY KEY,
    legal_name       TEXT NOT NULL,
    category         TEXT NOT NULL,
    names_zh_hans    TEXT NOT NULL,
    names_zh_hant    TEXT NOT NULL,
    names_en         TEXT NOT NULL,
    handles          TEXT NOT NULL,
    callback_numbers TEXT NOT NULL,
    domains          TEXT NOT NULL,
    status           TEXT NOT NULL,
    created          INTEGER NOT NULL,
    updated          INTEGER NOT NULL
);

CREATE TABLE registry_keys (
    kid            TEXT PRIMARY KEY,
    org_id         TEXT NOT NULL REFERENCES registry_organisations (id),
    public_key_pem TEXT NOT NULL,
    not_before     INTEGER NOT NULL,
    not_after      INTEGER NOT NULL,
    revoked        INTEGER,
    created        INTEGER NOT NULL
);
CREATE INDEX registry_keys_org ON registry_keys (org_id);

-- who: the API key id, or "cli" for the command line. detail: what changed, as JSON text.
CREATE TABLE registry_audit (
    id     INTEGER PRIMARY KEY AUTOINCREMENT,
    at     INTEGER NOT NULL,
    who    TEXT NOT NULL,
    action TEXT NOT NULL,
    org_id TEXT,
    kid    TEXT,
    detail TEXT NOT NULL
);
CREATE INDEX registry_audit_org ON registry_audit (org_id, id);
