-- autogen revision: 20261206201732
-- autogen parent: base
-- autogen message: create students
-- autogen direction: up

-- create table student
CREATE TABLE `student` (
    `id` int NOT NULL PRIMARY KEY AUTO_INCREMENT,
    `name` varchar(255) NOT NULL
);
