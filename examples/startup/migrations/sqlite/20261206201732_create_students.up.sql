-- autogen revision: 20261206201732
-- autogen parent: base
-- autogen message: create students
-- autogen direction: up

-- create table student
CREATE TABLE "student" (
    "id" integer NOT NULL PRIMARY KEY AUTOINCREMENT,
    "name" varchar NOT NULL
);
