-- The webhook outbox: notifications for the operator's receiver (guardian alerts, campaign
-- warnings), written in the service's own database so that a restart loses none, and sent by
-- a background task that claims rows with a lease, so that several nodes never send one row
-- at the same time. Times are Unix milliseconds.
CREATE TABLE webhook_outbox (
    -- Random; sent as X-Scamguard-Delivery and in the body, for the receiver to drop repeats.
    id           TEXT PRIMARY KEY,
    kind         TEXT NOT NULL,
    -- The JSON body's data: no message or speech text, no handle (keyed hashes only).
    payload      TEXT NOT NULL,
    created      INTEGER NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 0,
    next_attempt INTEGER NOT NULL,
    -- Which sender holds the row, and until when; a row whose lease expired is free again.
    lease_owner  TEXT,
    lease_until  INTEGER NOT NULL DEFAULT 0,
    -- pending, delivered or failed (gave up after the maximum age).
    status       TEXT NOT NULL DEFAULT 'pending',
    finished     INTEGER,
    last_error   TEXT
);
CREATE INDEX webhook_outbox_due ON webhook_outbox (status, next_attempt);
CREATE INDEX webhook_outbox_finished ON webhook_outbox (finished) WHERE finished IS NOT NULL;

-- A guardian is kept as the keyed hash of their handle, like every handle: the platform that
-- registered them knows its own users and finds the guardian by that hash (or by the
-- guardian id it was given). No version before this one wrote guardians, so none is lost.
DELETE FROM guardians;
ALTER TABLE guardians RENAME COLUMN guardian TO guardian_hash;
CREATE UNIQUE INDEX guardians_pair ON guardians (user_hash, guardian_hash, key_id)
    WHERE revoked IS NULL;
