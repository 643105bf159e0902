-- autogen revision: 20261206201733
-- autogen parent: 20261206201732
-- autogen message: add student email
--
-- Hazards (review before applying):
--   [AG301 blocking-index-build] builds index idx-student-email on student, blocking writes to student while it runs
-- autogen direction: up

-- add column student.email String NULL
ALTER TABLE "student" ADD COLUMN "email" varchar;

-- create index idx-student-email on student (email)
CREATE INDEX "idx-student-email" ON "student" ("email");
