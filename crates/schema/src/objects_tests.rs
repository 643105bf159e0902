//! The statement heads of SQL files and what an object is named and dropped by.

use super::*;

#[test]
fn heads_name_the_object() {
    let h = parse_head(
        "-- the active ones\nCREATE OR REPLACE VIEW public.\"Active\" AS SELECT 1",
        Some("public"),
        true,
    )
    .unwrap();
    assert_eq!((h.kind, h.name.as_str()), (SqlKind::View, "Active"));
    let h = parse_head(
        "create materialized view if not exists Stats as select 1",
        Some("public"),
        true,
    )
    .unwrap();
    assert_eq!(
        (h.kind, h.name.as_str()),
        (SqlKind::MaterializedView, "stats")
    );
    let h = parse_head(
        "CREATE FUNCTION app.touch(a integer, b text DEFAULT 'x(') RETURNS trigger AS $$ $$",
        Some("public"),
        true,
    )
    .unwrap();
    assert_eq!(h.name, "app\0touch");
    assert_eq!(
        h.arguments.as_deref(),
        Some("a integer, b text DEFAULT 'x('")
    );
    let h = parse_head(
        "CREATE TRIGGER t_upd BEFORE UPDATE OF a ON main.users FOR EACH ROW BEGIN SELECT 1; END",
        None,
        false,
    )
    .unwrap();
    assert_eq!(h.table.as_deref(), Some("users"));
    let h = parse_head(
        "CREATE ALGORITHM = MERGE DEFINER=`root`@`%` SQL SECURITY INVOKER VIEW `Actor_info` AS SELECT 1",
        None,
        false,
    )
    .unwrap();
    assert_eq!((h.kind, h.name.as_str()), (SqlKind::View, "Actor_info"));
    let h = parse_head(
        "CREATE DEFINER=CURRENT_USER() TRIGGER ins_film AFTER INSERT ON film FOR EACH ROW SET @x = 1",
        None,
        false,
    )
    .unwrap();
    assert_eq!(
        (h.kind, h.name.as_str(), h.table.as_deref()),
        (SqlKind::Trigger, "ins_film", Some("film"))
    );
    let moded = "SET sql_mode = 'TRADITIONAL';\nCREATE PROCEDURE p() SELECT 1";
    assert_eq!(parse_head(moded, None, false).unwrap().name, "p");
    assert_eq!(
        leading_set(moded),
        Some((
            "SET sql_mode = 'TRADITIONAL'",
            "\nCREATE PROCEDURE p() SELECT 1"
        ))
    );
    let h = parse_head(
        "CREATE RULE route AS ON INSERT TO public.payment WHERE new.id > 0 DO INSTEAD NOTHING",
        Some("public"),
        true,
    )
    .unwrap();
    assert_eq!(
        (h.kind, h.table.as_deref()),
        (SqlKind::Rule, Some("payment"))
    );
    let h = parse_head(
        "CREATE UNIQUE INDEX rental_category ON public.rental_by_category USING btree (category)",
        Some("public"),
        true,
    )
    .unwrap();
    assert_eq!(
        (h.kind, h.name.as_str(), h.table.as_deref()),
        (
            SqlKind::Index,
            "rental_category",
            Some("rental_by_category")
        )
    );
    let h = parse_head(
        "ALTER TABLE ONLY public.booking ADD CONSTRAINT \"No overlap\" EXCLUDE USING gist (room WITH =)",
        Some("public"),
        true,
    )
    .unwrap();
    assert_eq!(
        (h.kind, h.name.as_str(), h.table.as_deref()),
        (SqlKind::Exclusion, "No overlap", Some("booking"))
    );
    let quote = |n: &str| format!("\"{n}\"");
    let o = SqlObject::from_statement(h.kind, h.name, None, h.table, String::new());
    assert_eq!(
        o.drop_sql(&quote, true),
        "ALTER TABLE \"booking\" DROP CONSTRAINT \"No overlap\""
    );
    // A comment on what an entity declares: its own file, dropped by setting it NULL.
    let h = parse_head(
        "-- why\nCOMMENT ON CONSTRAINT \"One\" ON public.seat IS 'is it'",
        Some("public"),
        true,
    )
    .unwrap();
    assert_eq!(
        (h.kind, h.name.as_str(), h.table.as_deref()),
        (SqlKind::Comment, "One", Some("seat"))
    );
    let sql = "COMMENT ON CONSTRAINT \"One\" ON seat IS 'is it'".to_string();
    let o = SqlObject::from_statement(h.kind, h.name, None, h.table, sql);
    assert_eq!(
        o.drop_sql(&quote, true),
        "COMMENT ON CONSTRAINT \"One\" ON seat IS NULL"
    );
    let h = parse_head("comment on index app.i is 'x'", None, true).unwrap();
    assert_eq!((h.kind, h.name.as_str()), (SqlKind::Comment, "app\0i"));
    assert!(parse_head("COMMENT ON TABLE t IS 'x'", None, true).is_err());
    let h = parse_head("CREATE TYPE app.span AS RANGE (subtype = date)", None, true).unwrap();
    assert_eq!((h.kind, h.name.as_str()), (SqlKind::Type, "app\0span"));
    assert!(parse_head("ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0)", None, true).is_err());
    assert!(parse_head("DROP VIEW v", None, false).is_err());
    assert!(parse_head("CREATE TABLE t (a int)", None, false).is_err());
}

#[test]
fn references_name_words_and_qualified_columns_outside_literals() {
    let r = references(
        "select `t`.`a` AS `x`, u.b -- t.c\nfrom `t` join u where s = 'it\\'s v.w'",
        true,
    );
    assert_eq!(
        r.qualified,
        [("t".to_string(), "a".to_string()), ("u".into(), "b".into())]
    );
    assert!(r.words.contains("u") && !r.words.contains("c") && !r.words.contains("w"));
}

#[test]
fn or_replace_is_inserted_once() {
    assert_eq!(
        or_replace("create function f() returns int"),
        "create OR REPLACE function f() returns int"
    );
    assert_eq!(
        or_replace("CREATE OR REPLACE FUNCTION f()"),
        "CREATE OR REPLACE FUNCTION f()"
    );
}

#[test]
fn text_search_heads_take_three_words() {
    let h = parse_head(
        "CREATE TEXT SEARCH CONFIGURATION public.names (PARSER = default);\n\
         ALTER TEXT SEARCH CONFIGURATION names ADD MAPPING FOR word WITH simple;",
        Some("public"),
        true,
    )
    .expect("head");
    assert_eq!(
        (h.kind, h.name.as_str()),
        (SqlKind::TextSearchConfiguration, "names")
    );
    let h = parse_head(
        "create text search dictionary \"Plain\" (template = simple)",
        None,
        true,
    )
    .expect("head");
    assert_eq!(
        (h.kind, h.name.as_str()),
        (SqlKind::TextSearchDictionary, "Plain")
    );
    let h = parse_head("CREATE TEXT SEARCH PARSER p (START = s)", None, true).expect("head");
    assert_eq!(h.kind, SqlKind::TextSearchParser);
    assert!(parse_head("CREATE TEXT SEARCH INDEX p (START = s)", None, true).is_err());
}
