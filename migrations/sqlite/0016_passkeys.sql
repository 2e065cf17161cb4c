-- Issue 29, step 2: passkeys (WebAuthn). A passkey is a second_steps row of
-- kind 'passkey': its credential (public key, counter, backup flags) sealed
-- in `secret` like an app's seed, and its credential id in the clear, unique
-- across logins (a credential belongs to one login only).
ALTER TABLE second_steps ADD COLUMN credential_id TEXT;
CREATE UNIQUE INDEX second_steps_by_credential ON second_steps(credential_id);

-- The user handle a login's passkeys carry (a random UUID, never the
-- username): "Sign in with a passkey" finds the login by it.
ALTER TABLE portal_users ADD COLUMN passkey_handle TEXT;
CREATE UNIQUE INDEX portal_users_by_passkey_handle ON portal_users(passkey_handle);

-- A ceremony's challenge works once: its id is written here when an answer
-- comes back (a conditional insert), and kept until the challenge expires.
CREATE TABLE passkey_challenges_used (
    id         TEXT PRIMARY KEY,
    expires_at INTEGER NOT NULL
);
CREATE INDEX passkey_challenges_used_by_expiry ON passkey_challenges_used(expires_at);
