//! Hand-written SQL migrations that sqlx and each database's own client run: triggers and
//! routines with bodies, dollar quotes, `E''` strings, nested comments, MySQL bodies without
//! `DELIMITER`, SQLite triggers with `CASE … END`. autogen splits them into the statements the
//! database itself sees, online and in offline scripts.

use autogen_schema::Dialect;
use autogen_tests::{Project, TestDb, run_client};

const POSTGRES: &str = r#"
CREATE TABLE items (id serial PRIMARY KEY, note text, qty int);
CREATE FUNCTION bump() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  NEW.qty := coalesce(NEW.qty, 0) + CASE WHEN position(';' in NEW.note) > 0 THEN 2 ELSE 1 END; -- a; comment
  RETURN NEW;
END;
$fn$;
CREATE TRIGGER items_bump BEFORE INSERT ON items FOR EACH ROW EXECUTE FUNCTION bump();
/* a /* nested; */ comment; */
INSERT INTO items (note) VALUES (E'it\'s waived; ok'), ('/* not; a comment */'), ($$dollar; $$), ('plain');
CREATE FUNCTION two() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END;
DO $$ BEGIN PERFORM 1; END $$;
"#;

const MYSQL: &str = r#"
CREATE TABLE items (id int AUTO_INCREMENT PRIMARY KEY, note text, qty int);
CREATE TRIGGER items_bump BEFORE INSERT ON items FOR EACH ROW
BEGIN
  IF NEW.qty IS NULL THEN SET NEW.qty = 0; END IF;
  SET NEW.qty = NEW.qty + CASE WHEN NEW.note LIKE '%;%' THEN 2 ELSE 1 END;
END;
CREATE PROCEDURE fill(n INT)
BEGIN
  DECLARE i INT DEFAULT 0;
  l: LOOP
    SET i = i + 1;
    IF i > n THEN LEAVE l; END IF;
    INSERT INTO items (note) VALUES (CONCAT('row ', i));
  END LOOP l;
END;
INSERT INTO items (note) VALUES ('it\'s waived; ok'), ("double \"quoted\"; text"); # a hash; comment
-- a dash; comment
CALL fill(2);
"#;

const SQLITE: &str = r#"
CREATE TABLE items (id INTEGER PRIMARY KEY, note TEXT, qty INTEGER);
CREATE TRIGGER items_bump AFTER INSERT ON items BEGIN
  UPDATE items SET qty = CASE WHEN NEW.note LIKE '%;%' THEN 2 ELSE 1 END WHERE id = NEW.id;
  SELECT CASE WHEN NEW.note = 'boom' THEN RAISE(ABORT, 'no; boom') END;
END;
INSERT INTO items (note) VALUES ('it''s waived; ok'), ('plain'); -- a; comment
/* block; comment */ INSERT INTO items (note) VALUES ('x;y'), ('z');
"#;

const DOWN: &str = "DROP TABLE items;\n";

/// Rows of `items` as `note:qty`, in id order.
async fn items(db: &TestDb) -> Vec<String> {
    let sql = match db.dialect {
        Dialect::MySql => "SELECT CONCAT(note, ':', qty) FROM items ORDER BY id",
        _ => "SELECT note || ':' || qty FROM items ORDER BY id",
    };
    db.strings(sql).await
}

async fn corpus(dialect: Dialect, body: &str, expected: &[&str]) {
    let Some(p) = Project::new(dialect, "sql", "splitter").await else {
        return;
    };
    p.ok(&["revision", "-m", "hand written"]).await;
    for file in p.files() {
        let text = std::fs::read_to_string(&file).unwrap();
        let extra = if file.to_string_lossy().ends_with(".up.sql") {
            body.to_string()
        } else {
            let mut down = DOWN.to_string();
            if dialect == Dialect::Postgres {
                down.push_str("DROP FUNCTION bump();\nDROP FUNCTION two();\n");
            }
            if dialect == Dialect::MySql {
                down.push_str("DROP PROCEDURE fill;\n");
            }
            down
        };
        std::fs::write(&file, text + &extra).unwrap();
    }
    p.ok(&["upgrade", "head"]).await;
    assert_eq!(items(&p.db).await, expected, "{dialect}: online");
    if dialect == Dialect::Postgres {
        assert_eq!(p.db.strings("SELECT two()::text").await, ["2"]);
    }
    p.ok(&["downgrade", "base"]).await;
    assert!(!p.db.has_table("items").await);

    // The offline script, run by the database's own client, splits the same way.
    let script = p.ok(&["upgrade", "--sql", "head"]).await;
    let Some(fresh) = TestDb::new(dialect, "splitter_offline").await else {
        return;
    };
    run_client(&fresh, &script);
    assert_eq!(
        items(&fresh).await,
        expected,
        "{dialect}: offline\n{script}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn postgres_functions_dollar_quotes_e_strings_and_nested_comments() {
    let expected = [
        "it's waived; ok:2",
        "/* not; a comment */:2",
        "dollar; :2",
        "plain:1",
    ];
    corpus(Dialect::Postgres, POSTGRES, &expected).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn mysql_triggers_and_procedures_without_delimiter() {
    let expected = [
        "it's waived; ok:2",
        "double \"quoted\"; text:2",
        "row 1:1",
        "row 2:1",
    ];
    corpus(Dialect::MySql, MYSQL, &expected).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn sqlite_triggers_with_case_end() {
    let expected = ["it's waived; ok:2", "plain:1", "x;y:2", "z:1"];
    corpus(Dialect::Sqlite, SQLITE, &expected).await;
}
