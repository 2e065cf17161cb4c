-- Sign-in to the new portal: lockout counters and sessions.
ALTER TABLE portal_users ADD COLUMN failures BIGINT NOT NULL DEFAULT 0;
ALTER TABLE portal_users ADD COLUMN locked_until BIGINT NOT NULL DEFAULT 0;

CREATE TABLE user_sessions (
    token_hash     TEXT PRIMARY KEY,
    portal_user_id BIGINT NOT NULL REFERENCES portal_users(id),
    created_at     BIGINT NOT NULL,
    last_seen_at   BIGINT NOT NULL
);
CREATE INDEX user_sessions_by_user ON user_sessions(portal_user_id);
