-- autogen revision: 20261207132918
-- autogen parent: 20261207132916
-- autogen message: add student email
-- autogen change: 20261207132918
-- autogen dialect: postgres (planned on PostgreSQL 15.20)
-- autogen direction: up

-- bound lock waits and statement time
SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '1h';

-- add column student.email String NULL
ALTER TABLE "student" ADD COLUMN "email" varchar;
