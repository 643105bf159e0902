-- autogen revision: 20261206201732
-- autogen parent: base
-- autogen message: create students
--
-- Hazards (review before applying):
--   [AG101 drop-table] drops table student and every row in it
-- autogen direction: down

-- drop table student
DROP TABLE `student`;
