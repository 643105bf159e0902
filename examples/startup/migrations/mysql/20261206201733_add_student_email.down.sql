-- autogen revision: 20261206201733
-- autogen parent: 20261206201732
-- autogen message: add student email
--
-- Hazards (review before applying):
--   [AG102 drop-column] drops column student.email and its data
-- autogen direction: down

-- drop index idx-student-email on student
ALTER TABLE `student` DROP INDEX `idx-student-email`, ALGORITHM=INPLACE, LOCK=NONE;

-- drop column student.email
ALTER TABLE `student` DROP COLUMN `email`;
