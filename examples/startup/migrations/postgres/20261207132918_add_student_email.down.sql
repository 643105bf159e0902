-- autogen revision: 20261207132918
-- autogen parent: 20261207132916
-- autogen message: add student email
-- autogen change: 20261207132918
-- autogen dialect: postgres (planned on PostgreSQL 15.20)
--
-- Hazards (review before applying):
--   [AG102 drop-column] drops column student.email and its data
-- autogen direction: down

-- bound lock waits and statement time
SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '1h';

-- drop column student.email
ALTER TABLE "student" DROP COLUMN "email";
