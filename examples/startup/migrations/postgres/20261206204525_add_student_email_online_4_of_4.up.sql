-- no-transaction
-- This migration runs outside a transaction (safety = "online"): each statement commits on its own,
-- so no lock outlives one statement; each is idempotent, so after a failure, run it again.
-- autogen revision: 20261206204525
-- autogen parent: 20261206204524
-- autogen message: add student email (online, 4 of 4)
-- autogen change: 20261206204521
-- autogen direction: up

-- back to the session's timeouts
RESET lock_timeout;
RESET statement_timeout;
