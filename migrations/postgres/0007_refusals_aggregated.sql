-- Refusals at the edge (a malformed form, a foreign origin, a limit hit)
-- are recorded once per address, action, outcome and minute, with a count
-- (issue 14, #2): one client cannot grow the trail by a row per request.
-- Other events keep a row each (bucket NULL, repeats 1).

ALTER TABLE audit_events ADD COLUMN repeats BIGINT NOT NULL DEFAULT 1;
ALTER TABLE audit_events ADD COLUMN bucket TEXT;
CREATE UNIQUE INDEX audit_events_by_bucket ON audit_events(bucket) WHERE bucket IS NOT NULL;
