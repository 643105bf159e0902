-- autogen revision: 20261207132919
-- autogen parent: base
-- autogen message: create students
-- autogen dialect: sqlite (planned on SQLite 3.51)
-- autogen direction: up

-- create table student
CREATE TABLE "student" (
    "id" integer NOT NULL PRIMARY KEY AUTOINCREMENT,
    "name" varchar NOT NULL
);
