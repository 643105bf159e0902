-- autogen revision: 20261207132919
-- autogen parent: 20261207132918
-- autogen message: add student email
-- autogen dialect: mysql (planned on MariaDB 10.11)
-- autogen direction: up

-- add column student.email String(255) NULL
ALTER TABLE `student` ADD COLUMN `email` varchar(255), ALGORITHM=INSTANT;

-- create index idx-student-email on student (email)
CREATE INDEX `idx-student-email` ON `student` (`email`) ALGORITHM=INPLACE LOCK=NONE;
