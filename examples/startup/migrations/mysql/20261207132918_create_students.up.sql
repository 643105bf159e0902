-- autogen revision: 20261207132918
-- autogen parent: base
-- autogen message: create students
-- autogen dialect: mysql (planned on MariaDB 10.11)
-- autogen direction: up

-- create table student
CREATE TABLE `student` (
    `id` int NOT NULL PRIMARY KEY AUTO_INCREMENT,
    `name` varchar(255) NOT NULL
);
