//! A SeaORM application that migrates its database when it starts: the migrations autogen wrote
//! (`migrations/<dialect>/`, one directory per dialect, chosen by the URL's scheme) are compiled
//! in and applied by autogen's runtime — under its lock, so any number of replicas may start at
//! once — before the first query.
//!
//! `DATABASE_URL=postgres://… cargo run -p startup-example` prints the revision the schema is
//! at and the number of students; a database ahead of this build (a newer release migrated it)
//! stops it, naming the revision, unless `STARTUP_AHEAD=additive` and every unknown revision
//! only adds.

mod entities;

use autogen_runtime::{Ahead, Migrations, Runtime, embed};
use entities::student;
use sea_orm::{Database, EntityTrait, PaginatorTrait};
use std::process::ExitCode;
use std::time::Duration;

#[tokio::main]
async fn main() -> ExitCode {
    match start().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("startup-example: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn start() -> Result<(), Box<dyn std::error::Error>> {
    let url = std::env::var("DATABASE_URL").map_err(|_| "set DATABASE_URL")?;
    let migrations: Migrations = match url.split(':').next() {
        Some("postgres" | "postgresql") => embed!("migrations/postgres"),
        Some("mysql" | "mariadb") => embed!("migrations/mysql"),
        Some("sqlite") => embed!("migrations/sqlite"),
        _ => return Err(format!("DATABASE_URL: no migrations for {url:?}").into()),
    };
    let ahead = match std::env::var("STARTUP_AHEAD").as_deref() {
        Ok("additive") => Ahead::AllowAdditive,
        _ => Ahead::Refuse,
    };
    let db = Database::connect(&url).await?;
    let report = Runtime::new(migrations)
        .lock_timeout(Duration::from_secs(60))
        .ahead(ahead)
        .run_sea_orm(&db)
        .await?;
    for a in &report.applied {
        println!("applied {} {}", a.version, a.description);
    }
    match report.current {
        Some(v) => println!("schema at revision {v}"),
        None => println!("schema at base"),
    }
    let students = student::Entity::find().count(&db).await?;
    println!("{students} students");
    Ok(())
}
