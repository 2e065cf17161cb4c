-- Issue 32, step 1: each old portal's closing date. One row per import
-- source (legacy_accounts.source; '(demo)' for accounts loaded without one),
-- set by an admin in the console with a reason (the reason is in the audit
-- trail). The sign-in page and the quick guide name the portals that close
-- within 90 days; after the date a lookup still works unless `after_closing` is
-- 'refuse' (then the wizard says so once the account's answer is right).
CREATE TABLE portal_closings (
    source     TEXT PRIMARY KEY,
    -- The portal's name as providers know it ("Provider Portal 2012").
    name       TEXT NOT NULL,
    -- The last day the old portal works, YYYY-MM-DD.
    closes_on  TEXT NOT NULL,
    -- The first second after that day, UTC.
    closes_at  BIGINT NOT NULL,
    -- 'lookup' (the wizard still moves its accounts) or 'refuse'.
    after_closing TEXT NOT NULL,
    set_by     BIGINT REFERENCES operators(id),
    set_at     BIGINT NOT NULL
);
