-- Issue 18: "This wasn't me". Every mail that reports a consolidation or a
-- password reset carries a link of its own: single use, 30 days, only its
-- keyed hash kept here, written with the mail (the outbox) in the step's
-- transaction. Confirming it freezes the login and opens a case, which an
-- operator decides: undo the consolidation or lift the freeze.
CREATE TABLE not_me_tokens (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash     TEXT NOT NULL UNIQUE,
    portal_user_id INTEGER NOT NULL REFERENCES portal_users(id),
    created_at     INTEGER NOT NULL,
    expires_at     INTEGER NOT NULL,
    used_at        INTEGER
);

CREATE TABLE cases (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    reference      TEXT NOT NULL UNIQUE,
    portal_user_id INTEGER NOT NULL REFERENCES portal_users(id),
    opened_at      INTEGER NOT NULL,
    address        TEXT NOT NULL,
    decision       TEXT,
    decided_at     INTEGER,
    decided_by     INTEGER REFERENCES operators(id),
    reason         TEXT
);
CREATE INDEX cases_by_login ON cases(portal_user_id, decided_at);
CREATE INDEX cases_by_opened ON cases(opened_at);

-- A frozen login signs in nowhere and resets nothing until its case is
-- decided; a disabled one (its consolidation undone) never again. Kept,
-- not deleted.
ALTER TABLE portal_users ADD COLUMN frozen_at INTEGER;
ALTER TABLE portal_users ADD COLUMN disabled_at INTEGER;

-- The links an undo took back, as they were (portal_links holds an old
-- account once: it must be free for its owner's new wizard).
CREATE TABLE undone_links (
    case_id           INTEGER NOT NULL REFERENCES cases(id),
    portal_user_id    INTEGER NOT NULL REFERENCES portal_users(id),
    legacy_account_id INTEGER NOT NULL REFERENCES legacy_accounts(id),
    linked_at         INTEGER NOT NULL,
    undone_at         INTEGER NOT NULL
);
CREATE INDEX undone_links_by_account ON undone_links(legacy_account_id);
