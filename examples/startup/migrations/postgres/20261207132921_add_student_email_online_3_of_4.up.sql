-- no-transaction
-- This migration runs outside a transaction (safety = "online"): each statement commits on its own,
-- so no lock outlives one statement; each is idempotent, so after a failure, run it again.
-- autogen revision: 20261207132921
-- autogen parent: 20261207132920
-- autogen message: add student email (online, 3 of 4)
-- autogen change: 20261207132918
-- autogen dialect: postgres (planned on PostgreSQL 15.20)
-- autogen direction: up

-- create index idx-student-email on student (email)
CREATE INDEX CONCURRENTLY IF NOT EXISTS "idx-student-email" ON "student" ("email");
