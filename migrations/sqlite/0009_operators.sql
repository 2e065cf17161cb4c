-- Issue 17: the operators' console. Operators have their own logins (a
-- password and a TOTP authenticator) and sessions; the audit trail says
-- which operator did what to which target, and why; and the trail is only
-- ever appended to.

-- Operator actions name the operator, the target and the reason typed;
-- providers' steps leave the three empty.
ALTER TABLE audit_events ADD COLUMN operator_id INTEGER;
ALTER TABLE audit_events ADD COLUMN target TEXT;
ALTER TABLE audit_events ADD COLUMN reason TEXT;
CREATE INDEX audit_events_by_operator ON audit_events(operator_id, at);

-- A refusal repeated within its minute (issue 14) is counted here, beside
-- the trail, whose own row for it is written once and never changed.
CREATE TABLE audit_repeats (
    bucket  TEXT PRIMARY KEY,
    repeats INTEGER NOT NULL
);
INSERT INTO audit_repeats (bucket, repeats)
    SELECT bucket, repeats FROM audit_events WHERE bucket IS NOT NULL;

-- The trail as it is read (the console, its export, the tests): each event
-- with its count.
CREATE VIEW audit_trail AS
SELECT e.id, e.at, e.flow_id, e.legacy_account_id, e.address, e.action, e.outcome,
       e.operator_id, e.target, e.reason, COALESCE(r.repeats, e.repeats) AS repeats
FROM audit_events e LEFT JOIN audit_repeats r ON r.bucket = e.bucket;

-- An operator login. `username_key` is the username without regard to
-- case; the password is argon2id; the TOTP seed is encrypted under
-- APP_SECRET (XChaCha20-Poly1305); `totp_step` is the last time step a
-- code was accepted at (a code is good once). Until enrolment, only the
-- enrolment link's keyed hash and its expiry are set.
CREATE TABLE operators (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    username         TEXT NOT NULL,
    username_key     TEXT NOT NULL UNIQUE,
    role             TEXT NOT NULL,
    password_hash    TEXT,
    totp_seed        TEXT,
    totp_step        INTEGER NOT NULL DEFAULT 0,
    enrol_hash       TEXT UNIQUE,
    enrol_expires    INTEGER NOT NULL DEFAULT 0,
    failures         INTEGER NOT NULL DEFAULT 0,
    locked_until     INTEGER NOT NULL DEFAULT 0,
    disabled         INTEGER NOT NULL DEFAULT 0,
    created_at       INTEGER NOT NULL
);

-- An operator's console session: 15 minutes idle, 8 hours in all.
CREATE TABLE operator_sessions (
    token_hash  TEXT PRIMARY KEY,
    operator_id INTEGER NOT NULL REFERENCES operators(id),
    created_at  INTEGER NOT NULL,
    last_seen   INTEGER NOT NULL
);
CREATE INDEX operator_sessions_by_operator ON operator_sessions(operator_id);

-- Audit events are append-only: no code path updates or deletes them, and
-- the database refuses it too.
-- dialect: the same rule in each database's own trigger language
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
-- end dialect
