-- The rest of the sign-in page (issue 8): Forgot Username, Forgot Password
-- and Register. Their state lives on the server, like the wizard's; their
-- email codes reuse email_codes (wizard_id holds the flow's id).

CREATE TABLE account_flows (
    id                   TEXT PRIMARY KEY,
    token_hash           TEXT NOT NULL UNIQUE,
    kind                 TEXT NOT NULL,
    step                 TEXT NOT NULL,
    created_at           INTEGER NOT NULL,
    last_seen_at         INTEGER NOT NULL,
    portal_user_id       INTEGER REFERENCES portal_users(id),
    registration_code_id INTEGER,
    username_draft       TEXT NOT NULL DEFAULT '',
    tin_draft            TEXT NOT NULL DEFAULT '',
    email_draft          TEXT NOT NULL DEFAULT '',
    verify_email_draft   TEXT NOT NULL DEFAULT '',
    email                TEXT,
    email_verified       INTEGER NOT NULL DEFAULT 0,
    flash                TEXT
);

-- Codes the insurer issues for a TIN. Only a keyed hash of the code is kept;
-- the TIN as elsewhere (keyed hash, plus the last four digits for masks).
CREATE TABLE registration_codes (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    code_hash      TEXT NOT NULL UNIQUE,
    tin            TEXT NOT NULL,
    last4          TEXT NOT NULL,
    practice       TEXT NOT NULL,
    role           TEXT NOT NULL,
    created_at     INTEGER NOT NULL,
    expires_at     INTEGER NOT NULL,
    failures       INTEGER NOT NULL DEFAULT 0,
    locked_until   INTEGER NOT NULL DEFAULT 0,
    used_at        INTEGER,
    portal_user_id INTEGER REFERENCES portal_users(id)
);

-- Practices a portal login holds directly (registered, not consolidated).
CREATE TABLE portal_practices (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    portal_user_id INTEGER NOT NULL REFERENCES portal_users(id),
    practice       TEXT NOT NULL,
    role           TEXT NOT NULL,
    tin            TEXT NOT NULL,
    last4          TEXT NOT NULL,
    created_at     INTEGER NOT NULL
);
CREATE INDEX portal_practices_by_user ON portal_practices(portal_user_id);
CREATE INDEX portal_users_by_email ON portal_users(email);
