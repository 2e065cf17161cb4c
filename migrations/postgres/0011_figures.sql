-- Issue 17: the Progress page reads figures kept as the data changes, not
-- counts over every old account and every audit event at each view.
--
-- Old accounts loaded, by source, and consolidated, by UTC day and source,
-- kept by triggers as accounts are loaded, consolidated and returned to
-- "not consolidated"; logins created, kept by a trigger.
CREATE TABLE figure_sources (
    source TEXT PRIMARY KEY,
    loaded BIGINT NOT NULL
);
CREATE TABLE figure_days (
    day          BIGINT NOT NULL,
    source       TEXT NOT NULL,
    consolidated BIGINT NOT NULL,
    PRIMARY KEY (day, source)
);
CREATE TABLE figure_logins (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    n  BIGINT NOT NULL
);

INSERT INTO figure_sources (source, loaded)
SELECT COALESCE(source, '(demo)'), COUNT(*) FROM legacy_accounts GROUP BY COALESCE(source, '(demo)');
INSERT INTO figure_days (day, source, consolidated)
SELECT consolidated_at / 86400, COALESCE(source, '(demo)'), COUNT(*) FROM legacy_accounts
WHERE consolidated_into IS NOT NULL GROUP BY consolidated_at / 86400, COALESCE(source, '(demo)');
INSERT INTO figure_logins (id, n) SELECT 1, COUNT(*) FROM portal_users;

-- dialect: the same counting in each database's own trigger language
-- Loads are counted once per statement (one upsert per import statement of
-- 500 rows, not one per row), from the statement's new rows.
CREATE FUNCTION figure_sources_loaded() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO figure_sources (source, loaded)
    SELECT COALESCE(source, '(demo)'), COUNT(*) FROM loaded_rows GROUP BY 1 ORDER BY 1
    ON CONFLICT (source) DO UPDATE SET loaded = figure_sources.loaded + EXCLUDED.loaded;
    RETURN NULL;
END $$;
CREATE TRIGGER figure_sources_loaded AFTER INSERT ON legacy_accounts
REFERENCING NEW TABLE AS loaded_rows
FOR EACH STATEMENT EXECUTE FUNCTION figure_sources_loaded();

CREATE FUNCTION figure_days_consolidated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.consolidated_into IS NULL AND NEW.consolidated_into IS NOT NULL THEN
        INSERT INTO figure_days (day, source, consolidated)
        VALUES (NEW.consolidated_at / 86400, COALESCE(NEW.source, '(demo)'), 1)
        ON CONFLICT (day, source) DO UPDATE SET consolidated = figure_days.consolidated + 1;
    ELSIF OLD.consolidated_into IS NOT NULL AND NEW.consolidated_into IS NULL THEN
        UPDATE figure_days SET consolidated = consolidated - 1
        WHERE day = OLD.consolidated_at / 86400 AND source = COALESCE(OLD.source, '(demo)');
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER figure_days_consolidated AFTER UPDATE OF consolidated_into ON legacy_accounts
FOR EACH ROW WHEN (OLD.consolidated_into IS DISTINCT FROM NEW.consolidated_into)
EXECUTE FUNCTION figure_days_consolidated();

CREATE FUNCTION figure_logins_created() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE figure_logins SET n = n + (SELECT COUNT(*) FROM created_rows) WHERE id = 1;
    RETURN NULL;
END $$;
CREATE TRIGGER figure_logins_created AFTER INSERT ON portal_users
REFERENCING NEW TABLE AS created_rows
FOR EACH STATEMENT EXECUTE FUNCTION figure_logins_created();

-- An action prefix is compared byte by byte (COLLATE "C"), which this index
-- serves whatever the database's collation.
CREATE INDEX audit_events_by_action_c ON audit_events(action COLLATE "C", at);
-- end dialect

-- The wizard funnel, folded from the audit trail a batch of events at a
-- time (store::funnel): the last event folded; each wizard's summary (when
-- it began and first got through each step); and, by the UTC day a wizard
-- began and by step, how many reached the step, how many went no further,
-- and the times spent at it as a histogram ("bucket:count ...", exact to
-- the second below ten minutes, within 2% above).
CREATE TABLE funnel_fold (
    id            BIGINT PRIMARY KEY CHECK (id = 1),
    last_event_id BIGINT NOT NULL
);
INSERT INTO funnel_fold (id, last_event_id) VALUES (1, 0);
CREATE TABLE funnel_wizards (
    flow_id TEXT PRIMARY KEY,
    begun   BIGINT,
    t0      BIGINT,
    t1      BIGINT,
    t2      BIGINT,
    t3      BIGINT,
    t4      BIGINT,
    t5      BIGINT
);
CREATE TABLE funnel_days (
    day     BIGINT NOT NULL,
    step    BIGINT NOT NULL,
    reached BIGINT NOT NULL,
    stopped BIGINT NOT NULL,
    times   TEXT NOT NULL,
    PRIMARY KEY (day, step)
);

-- The console's Audit search by address reads that address's events, newest
-- first, rather than the whole trail; an action prefix is a range of an
-- action index.
CREATE INDEX audit_events_by_address ON audit_events(address, at);
