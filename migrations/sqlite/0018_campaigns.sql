-- Issue 32, step 2: invitation campaigns. A campaign picks old accounts
-- not moved yet (by source and status), groups them by address (one mail
-- per address, listing its accounts), and queues the mail into the outbox
-- at its rate, then its reminders to the addresses still holding accounts
-- not moved. Nothing goes to an address that unsubscribed or bounces.
CREATE TABLE campaigns (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        TEXT NOT NULL,
    -- The old portals picked, separated by spaces ('' = every one).
    sources     TEXT NOT NULL,
    -- The statuses picked: not_started, in_wizard, stuck, separated by spaces.
    statuses    TEXT NOT NULL,
    -- The mail's languages: 'en', 'es' or 'en es' (both, English first).
    langs       TEXT NOT NULL,
    per_hour    INTEGER NOT NULL,
    -- Days after the invitation, separated by spaces ('7 21').
    reminders   TEXT NOT NULL,
    -- draft, running, paused, stopped, done.
    state       TEXT NOT NULL,
    created_by  INTEGER REFERENCES operators(id),
    created_at  INTEGER NOT NULL,
    started_at  INTEGER,
    ended_at    INTEGER,
    -- The pace: mails may be queued while this (milliseconds) is behind now;
    -- each mail moves it on by 3,600,000 / per_hour.
    paced_ms    INTEGER NOT NULL DEFAULT 0
);

-- One address of a campaign, and the waves sent to it.
CREATE TABLE campaign_recipients (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    campaign_id  INTEGER NOT NULL REFERENCES campaigns(id),
    address      TEXT NOT NULL,
    -- Waves sent: 1 the invitation, 2 the first reminder, ...
    waves        INTEGER NOT NULL DEFAULT 0,
    -- When the invitation went (reminders count their days from it).
    first_at     INTEGER,
    -- When the next wave is due; NULL once none is.
    next_at      INTEGER,
    -- Why it gets nothing more: unsubscribed, bouncing, finished.
    ended        TEXT,
    UNIQUE (campaign_id, address)
);
CREATE INDEX campaign_recipients_due ON campaign_recipients(campaign_id, next_at);

-- The old accounts an address holds in a campaign.
CREATE TABLE campaign_members (
    recipient_id      INTEGER NOT NULL REFERENCES campaign_recipients(id),
    legacy_account_id INTEGER NOT NULL REFERENCES legacy_accounts(id),
    PRIMARY KEY (recipient_id, legacy_account_id)
);

-- Each wave's mail to an address (its outbox row).
CREATE TABLE campaign_sends (
    recipient_id INTEGER NOT NULL REFERENCES campaign_recipients(id),
    wave         INTEGER NOT NULL,
    outbox_id    INTEGER NOT NULL,
    at           INTEGER NOT NULL,
    PRIMARY KEY (recipient_id, wave)
);
CREATE INDEX campaign_sends_by_outbox ON campaign_sends(outbox_id);

-- The tokens of a wave's mail, kept as keyed hashes: one link per account
-- (into Account Lookup, the username filled in) and one to unsubscribe.
CREATE TABLE campaign_tokens (
    token_hash        TEXT PRIMARY KEY,
    recipient_id      INTEGER NOT NULL REFERENCES campaign_recipients(id),
    wave              INTEGER NOT NULL,
    -- The account of a link; NULL for the unsubscribe token.
    legacy_account_id INTEGER REFERENCES legacy_accounts(id)
);

-- The wizards begun from a link (its Next on Account Lookup), once each.
CREATE TABLE campaign_starts (
    token_hash TEXT NOT NULL REFERENCES campaign_tokens(token_hash),
    flow_id    TEXT NOT NULL,
    at         INTEGER NOT NULL,
    PRIMARY KEY (token_hash, flow_id)
);

-- Addresses no campaign writes to: unsubscribed (one click), or bouncing
-- (a mail server refused a campaign's mail for good).
CREATE TABLE mail_suppressions (
    address     TEXT PRIMARY KEY,
    reason      TEXT NOT NULL,
    at          INTEGER NOT NULL,
    campaign_id INTEGER
);

-- A campaign's mail names where to unsubscribe (List-Unsubscribe).
ALTER TABLE outbox ADD COLUMN unsubscribe TEXT;
