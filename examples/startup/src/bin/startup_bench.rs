//! `cargo xtask bench` measures startup with nothing pending through this binary:
//! `startup-bench autogen|sqlx URL RUNS` verifies and takes the migration lock RUNS times, each
//! on a new pool (its connection made on the way), on a database already at head, with autogen's runtime or with sqlx's `Migrator` over
//! the same directory (resolved once, as `migrate!()` embeds it), and prints the median in ms.

use autogen_runtime::{Runtime, embed};
use std::process::ExitCode;
use std::time::{Duration, Instant};

#[tokio::main]
async fn main() -> ExitCode {
    match bench().await {
        Ok(ms) => {
            println!("{ms:.3}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("startup-bench: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn bench() -> Result<f64, Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [mode, url, runs] = args.as_slice() else {
        return Err("usage: startup-bench autogen|sqlx URL RUNS".into());
    };
    let runs: usize = runs.parse()?;
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/postgres");
    let migrator = sqlx::migrate::Migrator::new(std::path::Path::new(dir)).await?;
    let runtime = Runtime::new(embed!("migrations/postgres"));
    // At head first: what is measured is a start with nothing pending.
    let pool = sqlx::PgPool::connect(url).await?;
    runtime.run(pool.clone()).await?;
    pool.close().await;
    let mut times: Vec<Duration> = Vec::new();
    for _ in 0..runs {
        let pool = sqlx::PgPool::connect(url).await?;
        // Connecting is the application's either way: what is measured is the migration step.
        let t = Instant::now();
        match mode.as_str() {
            "autogen" => {
                runtime.run(pool.clone()).await?;
            }
            "sqlx" => migrator.run(&pool).await?,
            other => return Err(format!("unknown mode {other}").into()),
        }
        times.push(t.elapsed());
        pool.close().await;
    }
    times.sort();
    Ok(times[times.len() / 2].as_secs_f64() * 1000.0)
}
