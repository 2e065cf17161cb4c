-- Operators' import (issue 16): an old account is keyed by its old portal
-- (source) and its id there (legacy_id); row_digest, a keyed digest of the
-- row it was imported from, tells an unchanged row from a changed one
-- without redoing its hashing; import_run names the run that last wrote
-- it, so that a row repeated within one file is told from an account an
-- earlier run loaded. Accounts loaded before this have neither (NULL).
ALTER TABLE legacy_accounts ADD COLUMN source TEXT;
ALTER TABLE legacy_accounts ADD COLUMN legacy_id TEXT;
ALTER TABLE legacy_accounts ADD COLUMN row_digest TEXT;
ALTER TABLE legacy_accounts ADD COLUMN import_run TEXT;
-- 1: the old portal hashed answers as typed (case kept), not normalised.
ALTER TABLE legacy_accounts ADD COLUMN answer_as_typed BIGINT NOT NULL DEFAULT 0;
CREATE UNIQUE INDEX legacy_accounts_by_source ON legacy_accounts(source, legacy_id);
