-- Issue 28: the audit trail stays append-only against every statement, not
-- only UPDATE and DELETE. SQLite's INSERT OR REPLACE (and REPLACE) deletes
-- the row it replaces without firing a DELETE trigger (recursive_triggers
-- is off), so an INSERT that names an existing event's id or bucket is
-- refused before it is made. The counts of aggregated refusals
-- (audit_repeats) only grow: never lowered, renamed or deleted; an INSERT
-- of an existing bucket does nothing (the app adds to a count by UPDATE),
-- so that REPLACE cannot reset one either.
-- dialect: each database's own trigger language
CREATE TRIGGER audit_events_no_replace BEFORE INSERT ON audit_events
WHEN EXISTS (SELECT 1 FROM audit_events WHERE id = NEW.id)
  OR (NEW.bucket IS NOT NULL AND EXISTS (SELECT 1 FROM audit_events WHERE bucket = NEW.bucket))
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
CREATE TRIGGER audit_repeats_insert_once BEFORE INSERT ON audit_repeats
WHEN EXISTS (SELECT 1 FROM audit_repeats WHERE bucket = NEW.bucket)
BEGIN SELECT RAISE(IGNORE); END;
CREATE TRIGGER audit_repeats_only_grow BEFORE UPDATE ON audit_repeats
WHEN NEW.repeats < OLD.repeats OR NEW.bucket IS NOT OLD.bucket
BEGIN SELECT RAISE(ABORT, 'audit counts only grow'); END;
CREATE TRIGGER audit_repeats_no_delete BEFORE DELETE ON audit_repeats
BEGIN SELECT RAISE(ABORT, 'audit counts only grow'); END;
-- end dialect
