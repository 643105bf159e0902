-- autogen revision: 20261207132920
-- autogen parent: 20261207132919
-- autogen message: add student email
-- autogen dialect: sqlite (planned on SQLite 3.51)
--
-- Hazards (review before applying):
--   [AG302 blocking-index-drop] drops index idx-student-email of student under a lock that waits for every query on student
--   [AG102 drop-column] drops column student.email and its data
-- autogen direction: down

-- drop index idx-student-email on student
DROP INDEX "idx-student-email";

-- drop column student.email
ALTER TABLE "student" DROP COLUMN "email";
