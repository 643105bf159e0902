-- autogen revision: 20261207132918
-- autogen parent: base
-- autogen message: create students
-- autogen dialect: mysql (planned on MariaDB 10.11)
--
-- Hazards (review before applying):
--   [AG101 drop-table] drops table student and every row in it
-- autogen direction: down

-- drop table student
DROP TABLE `student`;
