-- autogen revision: 20261206204521
-- autogen parent: 20261206204519
-- autogen message: add student email
-- autogen change: 20261206204521
--
-- Hazards (review before applying):
--   [AG102 drop-column] drops column student.email and its data
-- autogen direction: down

-- bound lock waits and statement time
SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '1h';

-- drop column student.email
ALTER TABLE "student" DROP COLUMN "email";
