-- Issue 17: the Progress page reads figures kept as the data changes, not
-- counts over every old account and every audit event at each view.
--
-- Old accounts loaded, by source, and consolidated, by UTC day and source,
-- kept by triggers as accounts are loaded, consolidated and returned to
-- "not consolidated"; logins created, kept by a trigger.
CREATE TABLE figure_sources (
    source TEXT PRIMARY KEY,
    loaded INTEGER NOT NULL
);
CREATE TABLE figure_days (
    day          INTEGER NOT NULL,
    source       TEXT NOT NULL,
    consolidated INTEGER NOT NULL,
    PRIMARY KEY (day, source)
);
CREATE TABLE figure_logins (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n  INTEGER NOT NULL
);

INSERT INTO figure_sources (source, loaded)
SELECT COALESCE(source, '(demo)'), COUNT(*) FROM legacy_accounts GROUP BY COALESCE(source, '(demo)');
INSERT INTO figure_days (day, source, consolidated)
SELECT consolidated_at / 86400, COALESCE(source, '(demo)'), COUNT(*) FROM legacy_accounts
WHERE consolidated_into IS NOT NULL GROUP BY consolidated_at / 86400, COALESCE(source, '(demo)');
INSERT INTO figure_logins (id, n) SELECT 1, COUNT(*) FROM portal_users;

-- dialect: the same counting in each database's own trigger language
CREATE TRIGGER figure_sources_loaded AFTER INSERT ON legacy_accounts
BEGIN
    INSERT INTO figure_sources (source, loaded) VALUES (COALESCE(NEW.source, '(demo)'), 1)
    ON CONFLICT (source) DO UPDATE SET loaded = loaded + 1;
END;
CREATE TRIGGER figure_days_consolidated AFTER UPDATE OF consolidated_into ON legacy_accounts
WHEN OLD.consolidated_into IS NULL AND NEW.consolidated_into IS NOT NULL
BEGIN
    INSERT INTO figure_days (day, source, consolidated)
    VALUES (NEW.consolidated_at / 86400, COALESCE(NEW.source, '(demo)'), 1)
    ON CONFLICT (day, source) DO UPDATE SET consolidated = consolidated + 1;
END;
CREATE TRIGGER figure_days_returned AFTER UPDATE OF consolidated_into ON legacy_accounts
WHEN OLD.consolidated_into IS NOT NULL AND NEW.consolidated_into IS NULL
BEGIN
    UPDATE figure_days SET consolidated = consolidated - 1
    WHERE day = OLD.consolidated_at / 86400 AND source = COALESCE(OLD.source, '(demo)');
END;
CREATE TRIGGER figure_logins_created AFTER INSERT ON portal_users
BEGIN
    UPDATE figure_logins SET n = n + 1 WHERE id = 1;
END;
-- end dialect

-- The wizard funnel, folded from the audit trail a batch of events at a
-- time (store::funnel): the last event folded; each wizard's summary (when
-- it began and first got through each step); and, by the UTC day a wizard
-- began and by step, how many reached the step, how many went no further,
-- and the times spent at it as a histogram ("bucket:count ...", exact to
-- the second below ten minutes, within 2% above).
CREATE TABLE funnel_fold (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    last_event_id INTEGER NOT NULL
);
INSERT INTO funnel_fold (id, last_event_id) VALUES (1, 0);
CREATE TABLE funnel_wizards (
    flow_id TEXT PRIMARY KEY,
    begun   INTEGER,
    t0      INTEGER,
    t1      INTEGER,
    t2      INTEGER,
    t3      INTEGER,
    t4      INTEGER,
    t5      INTEGER
);
CREATE TABLE funnel_days (
    day     INTEGER NOT NULL,
    step    INTEGER NOT NULL,
    reached INTEGER NOT NULL,
    stopped INTEGER NOT NULL,
    times   TEXT NOT NULL,
    PRIMARY KEY (day, step)
);

-- The console's Audit search by address reads that address's events, newest
-- first, rather than the whole trail; an action prefix is a range of an
-- action index.
CREATE INDEX audit_events_by_address ON audit_events(address, at);
