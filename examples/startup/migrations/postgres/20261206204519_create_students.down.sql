-- autogen revision: 20261206204519
-- autogen parent: base
-- autogen message: create students
--
-- Hazards (review before applying):
--   [AG101 drop-table] drops table student and every row in it
-- autogen direction: down

-- bound lock waits and statement time
SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '1h';

-- drop table student
DROP TABLE "student";
