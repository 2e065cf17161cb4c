-- Hardening (issue 5): rate limits shared by every instance, TINs kept only
-- as keyed hashes (plus the last four digits shown in masks), and no
-- development mail in the database (it held codes in clear).

CREATE TABLE rate_keys (
    key     TEXT PRIMARY KEY,
    touched INTEGER NOT NULL
);

CREATE TABLE rate_events (
    key TEXT NOT NULL,
    at  INTEGER NOT NULL
);
CREATE INDEX rate_events_by_key ON rate_events(key, at);

-- `tin` now holds HMAC-SHA256(key, digits); rows written before this
-- migration are converted at start-up (Store::protect_tins).
ALTER TABLE legacy_tins ADD COLUMN last4 TEXT NOT NULL DEFAULT '';

DROP TABLE dev_mailbox;
