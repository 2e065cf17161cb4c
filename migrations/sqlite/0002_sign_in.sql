-- Sign-in to the new portal: lockout counters and sessions.
ALTER TABLE portal_users ADD COLUMN failures INTEGER NOT NULL DEFAULT 0;
ALTER TABLE portal_users ADD COLUMN locked_until INTEGER NOT NULL DEFAULT 0;

CREATE TABLE user_sessions (
    token_hash     TEXT PRIMARY KEY,
    portal_user_id INTEGER NOT NULL REFERENCES portal_users(id),
    created_at     INTEGER NOT NULL,
    last_seen_at   INTEGER NOT NULL
);
CREATE INDEX user_sessions_by_user ON user_sessions(portal_user_id);
