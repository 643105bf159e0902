-- autogen revision: 20261207132919
-- autogen parent: base
-- autogen message: create students
-- autogen dialect: sqlite (planned on SQLite 3.51)
--
-- Hazards (review before applying):
--   [AG101 drop-table] drops table student and every row in it
-- autogen direction: down

-- drop table student
DROP TABLE "student";
