-- One table for every server-side flow: the wizard and Forgot
-- Username, Forgot Password and Register share one record and one engine;
-- `kind` says which flow a row is. Columns that hold a flow's id are named
-- for every flow (flow_id).

CREATE TABLE flows (
    id                   TEXT PRIMARY KEY,
    token_hash           TEXT NOT NULL UNIQUE,
    kind                 TEXT NOT NULL,
    step                 TEXT NOT NULL,
    created_at           INTEGER NOT NULL,
    last_seen_at         INTEGER NOT NULL,
    username_draft       TEXT NOT NULL DEFAULT '',
    tin_draft            TEXT NOT NULL DEFAULT '',
    email_draft          TEXT NOT NULL DEFAULT '',
    verify_email_draft   TEXT NOT NULL DEFAULT '',
    email                TEXT,
    email_verified       INTEGER NOT NULL DEFAULT 0,
    flash                TEXT,
    portal_user_id       INTEGER REFERENCES portal_users(id),
    legacy_account_id    INTEGER REFERENCES legacy_accounts(id),
    decoy_question       TEXT,
    registration_code_id INTEGER
);

-- Flows under way keep going: their rows move over unchanged.
INSERT INTO flows (id, token_hash, kind, step, created_at, last_seen_at, username_draft, tin_draft,
                   email_draft, verify_email_draft, email, email_verified, flash, portal_user_id,
                   legacy_account_id, decoy_question, registration_code_id)
SELECT id, token_hash, 'wizard', step, created_at, last_seen_at, username_draft, tin_draft,
       email_draft, verify_email_draft, email, email_verified, flash, portal_user_id,
       legacy_account_id, decoy_question, NULL
FROM wizards;

INSERT INTO flows (id, token_hash, kind, step, created_at, last_seen_at, username_draft, tin_draft,
                   email_draft, verify_email_draft, email, email_verified, flash, portal_user_id,
                   legacy_account_id, decoy_question, registration_code_id)
SELECT id, token_hash, kind, step, created_at, last_seen_at, username_draft, tin_draft,
       email_draft, verify_email_draft, email, email_verified, flash, portal_user_id,
       NULL, NULL, registration_code_id
FROM account_flows;

-- The accounts a wizard has proven now hang off flows.
CREATE TABLE wizard_accounts_new (
    wizard_id         TEXT NOT NULL REFERENCES flows(id) ON DELETE CASCADE,
    legacy_account_id INTEGER NOT NULL REFERENCES legacy_accounts(id),
    new_password_hash TEXT NOT NULL,
    position          INTEGER NOT NULL,
    PRIMARY KEY (wizard_id, legacy_account_id)
);
INSERT INTO wizard_accounts_new (wizard_id, legacy_account_id, new_password_hash, position)
SELECT wizard_id, legacy_account_id, new_password_hash, position FROM wizard_accounts;
DROP TABLE wizard_accounts;
DROP TABLE wizards;
DROP TABLE account_flows;
ALTER TABLE wizard_accounts_new RENAME TO wizard_accounts;

ALTER TABLE email_codes RENAME COLUMN wizard_id TO flow_id;
DROP INDEX email_codes_by_wizard;
CREATE INDEX email_codes_by_flow ON email_codes(flow_id, created_at);

ALTER TABLE audit_events RENAME COLUMN wizard_id TO flow_id;
