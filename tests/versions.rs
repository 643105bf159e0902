//! What autogen writes by PostgreSQL version, on whichever server the suite runs against (the
//! local one, or each major `cargo xtask pg-matrix` starts; CI runs this on 11 and 18): NOT NULL
//! on a populated column under `safety = "online"` is a CHECK `NOT VALID` validated in a revision
//! of its own from 12 on, and a plain `SET NOT NULL` before; either way the change round-trips
//! whole on a scratch database and keeps seeded rows.

use autogen_schema::Dialect;
use autogen_tests::{Project, dev_url, online};

#[tokio::test]
async fn version_forms_of_not_null_online() {
    let Some(p) = Project::new(Dialect::Postgres, "sql", "version_forms").await else {
        return;
    };
    let validating = p.db.profile().await.at_least(12, 0);
    let (v1, v2) = (online(1), online(2));
    p.ok(&["--models", &v1, "-m", "v1"]).await;
    p.ok(&["--models", &v1, "upgrade", "head"]).await;
    p.ok(&["--models", &v2, "-m", "v2", "--allow", "AG102=unused"])
        .await;
    let files = p.files();
    let validate = files
        .iter()
        .find(|f| f.to_string_lossy().ends_with("_validate.up.sql"));
    let all: String = files
        .iter()
        .filter(|f| f.to_string_lossy().ends_with(".up.sql"))
        .map(|f| std::fs::read_to_string(f).unwrap())
        .collect();
    if validating {
        let text = std::fs::read_to_string(validate.expect("a validating revision")).unwrap();
        assert!(
            text.contains("VALIDATE CONSTRAINT") && text.contains("SET NOT NULL"),
            "{text}"
        );
        assert!(all.contains("IS NOT NULL) NOT VALID"), "{all}");
    } else {
        assert!(validate.is_none(), "{files:?}");
        // (Foreign keys are still added NOT VALID and validated: that form predates 11.)
        assert!(
            all.contains("SET NOT NULL") && !all.contains("IS NOT NULL) NOT VALID"),
            "{all}"
        );
    }
    p.ok(&["--models", &v2, "upgrade", "head"]).await;
    let dev = dev_url(Dialect::Postgres);
    p.ok(&["--models", &v2, "check", "--dev-url", &dev]).await;
    p.ok(&["downgrade", "base"]).await;
    assert!(!p.db.has_table("accounts").await);
}
