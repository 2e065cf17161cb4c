-- Issue 29: a second step after the password. A login's methods: an
-- authenticator app (TOTP; its seed sealed under the application secret)
-- and, in a later step, passkeys. A method is usable once confirmed; an
-- unconfirmed one is an enrolment under way, replaced by the next.
CREATE TABLE second_steps (
    id             BIGSERIAL PRIMARY KEY,
    portal_user_id BIGINT NOT NULL REFERENCES portal_users(id),
    kind           TEXT NOT NULL,
    name           TEXT NOT NULL,
    secret         TEXT NOT NULL,
    created_at     BIGINT NOT NULL,
    confirmed_at   BIGINT,
    last_used_at   BIGINT,
    -- The last TOTP time step accepted: a code works once.
    totp_step      BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX second_steps_by_login ON second_steps(portal_user_id);

-- Ten single-use backup codes per login, kept as keyed hashes bound to the
-- login; new ones replace the old.
CREATE TABLE backup_codes (
    portal_user_id BIGINT NOT NULL REFERENCES portal_users(id),
    code_hash      TEXT NOT NULL,
    created_at     BIGINT NOT NULL,
    used_at        BIGINT,
    PRIMARY KEY (portal_user_id, code_hash)
);

-- Wrong codes at the second step lock it for 15 minutes (the tries
-- machinery); sign-ins without a second step are counted for
-- TWO_STEP=required's grace.
ALTER TABLE portal_users ADD COLUMN second_failures BIGINT NOT NULL DEFAULT 0;
ALTER TABLE portal_users ADD COLUMN second_locked_until BIGINT NOT NULL DEFAULT 0;
ALTER TABLE portal_users ADD COLUMN unprotected_sign_ins BIGINT NOT NULL DEFAULT 0;

-- "Remember this browser for 30 days": the browser keeps a random token in
-- a cookie, the database its SHA-256; listed on Sign-in and security, and
-- forgotten there, by support's reset, or when the last method goes.
CREATE TABLE remembered_browsers (
    id             BIGSERIAL PRIMARY KEY,
    portal_user_id BIGINT NOT NULL REFERENCES portal_users(id),
    token_hash     TEXT NOT NULL UNIQUE,
    label          TEXT NOT NULL,
    created_at     BIGINT NOT NULL,
    last_used_at   BIGINT NOT NULL,
    expires_at     BIGINT NOT NULL
);
CREATE INDEX remembered_browsers_by_login ON remembered_browsers(portal_user_id);
