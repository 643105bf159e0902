use std::process::ExitCode;

fn main() -> ExitCode {
    one_malloc_arena();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::from(autogen_cli::Outcome::Error.code());
        }
    };
    let mut out = std::io::stdout();
    let mut err = std::io::stderr();
    runtime
        .block_on(autogen_cli::run(std::env::args_os(), &mut out, &mut err))
        .into()
}

/// One glibc malloc arena for the whole process. The entity parser (a blocking thread) and the
/// catalog reader (a runtime worker) each build a schema at the same time; with an arena per
/// thread, the freed memory of one cannot serve the other, and a 10,000-table `check` peaks
/// about 15 MiB higher for it. The threads allocate in bursts, so sharing the arena costs no
/// measurable time (`cargo xtask bench`).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn one_malloc_arena() {
    // SAFETY: mallopt only changes glibc's allocator settings; `main` calls it first, before
    // the runtime starts any thread.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 1);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn one_malloc_arena() {}
