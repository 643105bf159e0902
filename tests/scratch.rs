//! `check --dev-url` leaves no scratch database behind: stopped by SIGINT (Ctrl-C) or SIGTERM (a
//! cancelled CI job) in the middle of a revision, it drops its own; and a later run drops the ones
//! an earlier run left after SIGKILL or a crash — only autogen's by name, over an hour old and
//! with no session connected, so a live run sharing the dev server is never touched.

use autogen_db::Db;
use autogen_schema::Dialect;
use autogen_tests::{Project, online, postgres_admin_url, spawn_autogen};
use std::time::{Duration, Instant};

#[test]
fn child_process_entry() {
    autogen_tests::child_process_entry();
}

async fn databases(admin: &Db, like: &str) -> Vec<String> {
    let autogen_db::Pool::Postgres(pool) = admin.pool() else {
        unreachable!("a PostgreSQL admin connection");
    };
    sqlx::query_scalar("SELECT datname::text FROM pg_database WHERE datname LIKE $1 ORDER BY 1")
        .bind(like)
        .fetch_all(pool)
        .await
        .expect("list databases")
}

/// Sends the child `signal` (`-INT`, `-TERM`) and waits (bounded) for it to end: its exit
/// status and what it printed on stderr.
async fn stop(mut child: std::process::Child, signal: &str) -> (std::process::ExitStatus, String) {
    let killed = std::process::Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(killed.success());
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "{signal}: still running"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let output = child.wait_with_output().expect("output");
    (status, String::from_utf8_lossy(&output.stderr).into_owned())
}

/// Waits (bounded) until `ready` holds.
async fn wait_for(what: &str, mut ready: impl AsyncFnMut() -> bool) {
    let start = Instant::now();
    while !ready().await {
        assert!(start.elapsed() < Duration::from_secs(60), "{what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_stopped_run_drops_its_scratch_database_and_a_later_run_drops_abandoned_ones() {
    let Some(p) = Project::new(Dialect::Postgres, "sql", "scratch_signals").await else {
        return;
    };
    let admin = Db::connect(&postgres_admin_url()).await.expect("admin");
    let v1 = online(1);
    p.ok(&["--models", &v1, "-m", "v1"]).await;
    p.ok(&["--models", &v1, "revision", "-m", "slow"]).await;
    let up = p
        .files()
        .into_iter()
        .find(|f| f.to_string_lossy().ends_with("slow.up.sql"))
        .expect("slow revision");
    let text = std::fs::read_to_string(&up).expect("read");
    std::fs::write(&up, format!("{text}\nSELECT pg_sleep(60);\n")).expect("write");

    // Left by earlier runs: abandoned (old, idle), fresh (a live run elsewhere), and old but
    // connected to (a live run compiling for over an hour).
    let me = std::process::id();
    let abandoned = format!("autogen_dev_1000_{me}_1");
    let fresh = format!(
        "autogen_dev_{}_{me}_2",
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .expect("clock")
            .as_secs()
    );
    let connected = format!("autogen_dev_1001_{me}_3");
    for name in [&abandoned, &fresh, &connected] {
        admin
            .execute_script(&format!("CREATE DATABASE \"{name}\""))
            .await
            .expect("create");
    }
    let base = postgres_admin_url();
    let base = base.rsplit_once('/').map(|(b, _)| b).expect("url");
    let session = Db::connect(&format!("{base}/{connected}?sslmode=disable"))
        .await
        .expect("session");

    let config = p.config().display().to_string();
    for (signal, flag) in [("SIGINT", "-INT"), ("SIGTERM", "-TERM")] {
        let child = spawn_autogen(&[
            "-c",
            &config,
            "--models",
            &v1,
            "check",
            "--dev-url",
            &base_url(base),
        ]);
        let pid = child.id();
        let mine = format!("autogen_dev_%_{pid}_%");
        wait_for("the run reaches the slow revision", async || {
            let autogen_db::Pool::Postgres(pool) = admin.pool() else {
                return false;
            };
            sqlx::query_scalar::<_, i64>(
                "SELECT count(*) FROM pg_stat_activity WHERE datname LIKE $1 AND query LIKE 'SELECT pg_sleep%'",
            )
            .bind(&mine)
            .fetch_one(pool)
            .await
            .is_ok_and(|n| n > 0)
        })
        .await;
        let (status, stderr) = stop(child, flag).await;
        assert!(!status.success(), "{signal}");
        assert!(stderr.contains(&format!("stopped by {signal}")), "{stderr}");
        assert_eq!(
            databases(&admin, &mine).await,
            Vec::<String>::new(),
            "{signal}"
        );
    }
    // The runs above dropped the abandoned one, and left the others.
    let left = databases(&admin, &format!("autogen_dev_%_{me}_%")).await;
    let mut expected = vec![connected.clone(), fresh.clone()];
    expected.sort();
    assert_eq!(left, expected);
    session.close().await;
    for name in [&fresh, &connected] {
        let _ = admin.drop_database(name).await;
    }
    admin.close().await;
}

/// The dev server's URL (its maintenance database), without TLS for the local server.
fn base_url(base: &str) -> String {
    format!("{base}/postgres?sslmode=disable")
}

/// The same on MariaDB: stopped by SIGINT in the middle of a slow revision, the run drops its
/// scratch database.
#[tokio::test(flavor = "multi_thread")]
async fn a_stopped_run_drops_its_scratch_database_on_mariadb() {
    let Some(p) = Project::new(Dialect::MySql, "sql", "scratch_signals_my").await else {
        return;
    };
    let admin = Db::connect(&autogen_tests::mysql_admin_url())
        .await
        .expect("admin");
    let autogen_db::Pool::MySql(pool) = admin.pool() else {
        unreachable!("a MySQL admin connection");
    };
    let v1 = online(1);
    p.ok(&["--models", &v1, "-m", "v1"]).await;
    p.ok(&["--models", &v1, "revision", "-m", "slow"]).await;
    let up = p
        .files()
        .into_iter()
        .find(|f| f.to_string_lossy().ends_with("slow.up.sql"))
        .expect("slow revision");
    let text = std::fs::read_to_string(&up).expect("read");
    std::fs::write(&up, format!("{text}\nSELECT SLEEP(60);\n")).expect("write");
    let config = p.config().display().to_string();
    let dev = format!(
        "{}?ssl-mode=disabled",
        autogen_tests::mysql_admin_url()
            .split('?')
            .next()
            .unwrap_or_default()
    );
    let child = spawn_autogen(&["-c", &config, "--models", &v1, "check", "--dev-url", &dev]);
    let pid = child.id();
    let mine = format!("autogen_dev_%_{pid}_%");
    let schemas = async || -> Vec<String> {
        sqlx::query_scalar(
            "SELECT CAST(schema_name AS CHAR) FROM information_schema.schemata WHERE schema_name LIKE ?",
        )
        .bind(&mine)
        .fetch_all(pool)
        .await
        .expect("list schemas")
    };
    wait_for("the run reaches the slow revision", async || {
        sqlx::query_scalar::<_, i64>(
            "SELECT COUNT(*) FROM information_schema.processlist WHERE db LIKE ? AND info LIKE 'SELECT SLEEP%'",
        )
        .bind(&mine)
        .fetch_one(pool)
        .await
        .is_ok_and(|n| n > 0)
    })
    .await;
    let (status, stderr) = stop(child, "-INT").await;
    assert!(!status.success());
    assert!(stderr.contains("stopped by SIGINT"), "{stderr}");
    assert_eq!(schemas().await, Vec::<String>::new());
    admin.close().await;
}
