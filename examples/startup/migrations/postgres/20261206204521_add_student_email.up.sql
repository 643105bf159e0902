-- autogen revision: 20261206204521
-- autogen parent: 20261206204519
-- autogen message: add student email
-- autogen change: 20261206204521
-- autogen direction: up

-- bound lock waits and statement time
SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '1h';

-- add column student.email String NULL
ALTER TABLE "student" ADD COLUMN "email" varchar;
