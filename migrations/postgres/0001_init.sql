-- Times are Unix seconds (BIGINT). Secrets are stored only as argon2id PHC
-- strings (passwords, answers, PINs) or keyed hashes (email codes).

CREATE TABLE portal_users (
    id            BIGSERIAL PRIMARY KEY,
    username      TEXT NOT NULL,
    username_key  TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    email         TEXT NOT NULL,
    created_at    BIGINT NOT NULL
);

CREATE TABLE legacy_accounts (
    id                    BIGSERIAL PRIMARY KEY,
    username              TEXT NOT NULL,
    username_key          TEXT NOT NULL UNIQUE,
    password_hash         TEXT NOT NULL,
    question              TEXT NOT NULL,
    answer_hash           TEXT NOT NULL,
    pin_hash              TEXT NOT NULL,
    practice              TEXT NOT NULL,
    role                  TEXT NOT NULL,
    email                 TEXT,
    answer_failures       BIGINT NOT NULL DEFAULT 0,
    answer_locked_until   BIGINT NOT NULL DEFAULT 0,
    password_failures     BIGINT NOT NULL DEFAULT 0,
    password_locked_until BIGINT NOT NULL DEFAULT 0,
    consolidated_into     BIGINT REFERENCES portal_users(id),
    consolidated_at       BIGINT
);

CREATE TABLE legacy_tins (
    legacy_account_id BIGINT NOT NULL REFERENCES legacy_accounts(id),
    tin               TEXT NOT NULL,
    PRIMARY KEY (legacy_account_id, tin)
);
CREATE INDEX legacy_tins_by_tin ON legacy_tins(tin);

CREATE TABLE portal_links (
    portal_user_id    BIGINT NOT NULL REFERENCES portal_users(id),
    legacy_account_id BIGINT NOT NULL UNIQUE REFERENCES legacy_accounts(id),
    linked_at         BIGINT NOT NULL,
    PRIMARY KEY (portal_user_id, legacy_account_id)
);

CREATE TABLE wizards (
    id                 TEXT PRIMARY KEY,
    token_hash         TEXT NOT NULL UNIQUE,
    step               TEXT NOT NULL,
    created_at         BIGINT NOT NULL,
    last_seen_at       BIGINT NOT NULL,
    username_draft     TEXT NOT NULL DEFAULT '',
    tin_draft          TEXT NOT NULL DEFAULT '',
    legacy_account_id  BIGINT REFERENCES legacy_accounts(id),
    decoy_question     TEXT,
    email_draft        TEXT NOT NULL DEFAULT '',
    verify_email_draft TEXT NOT NULL DEFAULT '',
    email              TEXT,
    email_verified     BIGINT NOT NULL DEFAULT 0,
    flash              TEXT,
    portal_user_id     BIGINT REFERENCES portal_users(id)
);

-- Accounts proven in a wizard, waiting for Finish.
CREATE TABLE wizard_accounts (
    wizard_id         TEXT NOT NULL REFERENCES wizards(id) ON DELETE CASCADE,
    legacy_account_id BIGINT NOT NULL REFERENCES legacy_accounts(id),
    new_password_hash TEXT NOT NULL,
    position          BIGINT NOT NULL,
    PRIMARY KEY (wizard_id, legacy_account_id)
);

CREATE TABLE email_codes (
    id         BIGSERIAL PRIMARY KEY,
    wizard_id  TEXT NOT NULL,
    email      TEXT NOT NULL,
    code_hash  TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    attempts   BIGINT NOT NULL DEFAULT 0,
    status     TEXT NOT NULL DEFAULT 'active'
);
CREATE INDEX email_codes_by_wizard ON email_codes(wizard_id, created_at);

CREATE TABLE audit_events (
    id                BIGSERIAL PRIMARY KEY,
    at                BIGINT NOT NULL,
    wizard_id         TEXT,
    legacy_account_id BIGINT,
    address           TEXT,
    action            TEXT NOT NULL,
    outcome           TEXT NOT NULL
);
CREATE INDEX audit_events_by_at ON audit_events(at);

CREATE TABLE dev_mailbox (
    id        BIGSERIAL PRIMARY KEY,
    at        BIGINT NOT NULL,
    to_addr   TEXT NOT NULL,
    subject   TEXT NOT NULL,
    body      TEXT NOT NULL
);

CREATE TABLE app_secrets (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
