-- Tries at a secret that are being checked now (issue 14, #15 and #18). A
-- try is held here while its secret is checked and only a wrong verdict is
-- counted (in the secret's failures column); a try whose process died
-- before its verdict expires after a few seconds and counts for nothing.
-- `target` names what is guessed at (a login's username key, an old
-- account's id, a registration code's hash), whether or not it exists.

CREATE TABLE tries_in_flight (
    id         BIGSERIAL PRIMARY KEY,
    counter    TEXT NOT NULL,
    target     TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX tries_in_flight_by_target ON tries_in_flight(counter, target, expires_at);
