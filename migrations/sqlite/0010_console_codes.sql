-- Issue 17: support verification codes. After checking a caller by the
-- insurer's own procedure, support issues one for a provider who can answer
-- neither the security question nor the PIN; the provider types it at
-- Account Verification instead. Bound to one old account; only its keyed
-- hash is kept; good for 72 hours, once; five wrong tries void it. A new
-- code for the account revokes the one before.
CREATE TABLE support_codes (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    legacy_account_id INTEGER NOT NULL REFERENCES legacy_accounts(id),
    code_hash         TEXT NOT NULL UNIQUE,
    issued_by         INTEGER NOT NULL REFERENCES operators(id),
    created_at        INTEGER NOT NULL,
    expires_at        INTEGER NOT NULL,
    tries             INTEGER NOT NULL DEFAULT 0,
    used_at           INTEGER,
    revoked_at        INTEGER
);
CREATE INDEX support_codes_by_account ON support_codes(legacy_account_id, expires_at);

-- Registration codes issued from the console name their operator (the
-- command line leaves it empty), and can be revoked (with expires_at moved
-- to the moment, so that Register refuses them as it refuses expired ones).
ALTER TABLE registration_codes ADD COLUMN issued_by INTEGER REFERENCES operators(id);
ALTER TABLE registration_codes ADD COLUMN revoked_at INTEGER;
CREATE INDEX registration_codes_by_created ON registration_codes(created_at);

-- The console reads the trail by action (the wizard funnel: the wizards
-- begun in a period, then each one's steps) and by old account (Find, the
-- audit search): indexes, so that neither scans a trail of millions.
CREATE INDEX audit_events_by_action ON audit_events(action, at);
CREATE INDEX audit_events_by_flow ON audit_events(flow_id, action);
CREATE INDEX audit_events_by_account ON audit_events(legacy_account_id, at);
