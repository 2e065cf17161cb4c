-- Issue 18: mail that is never lost. Every mail is written here in the same
-- transaction as the step that causes it, and a worker delivers it (any
-- instance: a row is claimed with a lease, and on PostgreSQL with FOR UPDATE
-- SKIP LOCKED), retrying with backoff until it is sent or fails for good.
-- The body is sealed (it may hold a code) and emptied once sent; the
-- Message-ID is fixed when the row is written, so every attempt sends the
-- same message.
CREATE TABLE outbox (
    id            BIGSERIAL PRIMARY KEY,
    message_id    TEXT NOT NULL UNIQUE,
    kind          TEXT NOT NULL,
    recipient     TEXT NOT NULL,
    subject       TEXT NOT NULL,
    body          TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    next_at       BIGINT NOT NULL,
    give_up_at    BIGINT NOT NULL,
    attempts      BIGINT NOT NULL DEFAULT 0,
    claimed_by    TEXT,
    claimed_until BIGINT,
    sent_at       BIGINT,
    failed_at     BIGINT,
    last_error    TEXT
);
-- The worker's question, "what is due?", reads only the mail not yet done.
CREATE INDEX outbox_due ON outbox(next_at) WHERE sent_at IS NULL AND failed_at IS NULL;
CREATE INDEX outbox_by_created ON outbox(created_at);
