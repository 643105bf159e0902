-- autogen revision: 20261207132920
-- autogen parent: 20261207132919
-- autogen message: add student email
-- autogen dialect: sqlite (planned on SQLite 3.51)
--
-- Hazards (review before applying):
--   [AG301 blocking-index-build] builds index idx-student-email on student, blocking writes to student while it runs
-- autogen direction: up

-- add column student.email String NULL
ALTER TABLE "student" ADD COLUMN "email" varchar;

-- create index idx-student-email on student (email)
CREATE INDEX "idx-student-email" ON "student" ("email");
