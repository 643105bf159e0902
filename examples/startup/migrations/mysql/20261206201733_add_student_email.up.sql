-- autogen revision: 20261206201733
-- autogen parent: 20261206201732
-- autogen message: add student email
-- autogen direction: up

-- add column student.email String(255) NULL
ALTER TABLE `student` ADD COLUMN `email` varchar(255), ALGORITHM=INSTANT;

-- create index idx-student-email on student (email)
CREATE INDEX `idx-student-email` ON `student` (`email`) ALGORITHM=INPLACE LOCK=NONE;
