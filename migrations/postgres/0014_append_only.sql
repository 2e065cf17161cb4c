-- Issue 28: the audit trail stays append-only against every statement, not
-- only UPDATE and DELETE. SQLite's INSERT OR REPLACE (and REPLACE) deletes
-- the row it replaces without firing a DELETE trigger (recursive_triggers
-- is off), so an INSERT that names an existing event's id or bucket is
-- refused before it is made. The counts of aggregated refusals
-- (audit_repeats) only grow: never lowered, renamed or deleted; an INSERT
-- of an existing bucket does nothing (the app adds to a count by UPDATE),
-- so that REPLACE cannot reset one either.
-- dialect: each database's own trigger language
-- PostgreSQL has no REPLACE, and INSERT ... ON CONFLICT DO UPDATE fires the
-- UPDATE triggers that 0009 made; the counts need triggers of their own.
CREATE FUNCTION audit_repeats_only_grow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND NEW.repeats >= OLD.repeats AND NEW.bucket = OLD.bucket THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'audit counts only grow';
END $$;
CREATE TRIGGER audit_repeats_only_grow BEFORE UPDATE OR DELETE ON audit_repeats
FOR EACH ROW EXECUTE FUNCTION audit_repeats_only_grow();
CREATE TRIGGER audit_repeats_no_truncate BEFORE TRUNCATE ON audit_repeats
FOR EACH STATEMENT EXECUTE FUNCTION audit_repeats_only_grow();
-- end dialect
