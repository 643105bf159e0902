-- autogen revision: 20261207132919
-- autogen parent: 20261207132918
-- autogen message: add student email
-- autogen dialect: mysql (planned on MariaDB 10.11)
--
-- Hazards (review before applying):
--   [AG102 drop-column] drops column student.email and its data
-- autogen direction: down

-- drop index idx-student-email on student
ALTER TABLE `student` DROP INDEX `idx-student-email`, ALGORITHM=INPLACE, LOCK=NONE;

-- drop column student.email
ALTER TABLE `student` DROP COLUMN `email`;
