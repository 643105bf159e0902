-- autogen revision: 20261207132916
-- autogen parent: base
-- autogen message: create students
-- autogen dialect: postgres (planned on PostgreSQL 15.20)
--
-- Hazards (review before applying):
--   [AG101 drop-table] drops table student and every row in it
-- autogen direction: down

-- bound lock waits and statement time
SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '1h';

-- drop table student
DROP TABLE "student";
