-- Issue 32, step 3: when each old account was first loaded by an import
-- (Unix seconds; an update by a later run keeps it), so that a campaign
-- can pick the accounts imported before a date. Accounts loaded before
-- this was kept have none, and count as imported before any date.
ALTER TABLE legacy_accounts ADD COLUMN imported_at INTEGER;
-- A campaign's "imported before": the first second it leaves out (NULL:
-- any time).
ALTER TABLE campaigns ADD COLUMN imported_before INTEGER;
