//! The entity reader under random input: mutations of real entity files (the fixtures, and the
//! adopted entities with autogen's declarations) and of hostile fragments, through reading,
//! validation for each dialect, diffing and rendering. No input may panic, abort or hang; each is
//! an error or a schema.
//!
//! CI runs a fixed-seed slice (`AUTOGEN_FUZZ_CASES`, default 400; `AUTOGEN_FUZZ_SEED`);
//! `cargo xtask fuzz --seconds N` runs it for N seconds with a fresh seed. Before each case the
//! input is written to `target/fuzz/current.rs`, so a crash or hang leaves the input behind; a
//! case still running after `AUTOGEN_FUZZ_HANG_SECS` is taken for a hang and aborts the run,
//! naming that file. `cargo xtask fuzz` holds each case to 10 s; in the test suite, where other
//! suites share the two cores, the bound is 60 s (a case takes milliseconds either way).

use autogen_schema::{Dialect, Profile, Schema};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// xorshift64*: a small deterministic generator, so a seed replays a run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Fragments that matter to the reader: attribute syntax, nesting, quotes, comments.
const DICTIONARY: &[&str] = &[
    "#[sea_orm(",
    ")]",
    "mod m {",
    "}",
    "{",
    "Option<",
    ">",
    "Vec<",
    "\"",
    "'",
    "r#\"",
    "\"#",
    "/*",
    "*/",
    "//",
    "\n",
    "\\",
    "\u{0}",
    "\u{2028}",
    "é",
    "😀",
    "primary_key",
    "table_name = \"",
    "column_name = \"",
    "enum_name = \"",
    "belongs_to",
    "has_many = \"super::ghost::Entity\"",
    "from = \"Column::Id\", to = \"super::x::Column::Id\"",
    "column_type = \"",
    "Decimal(Some((10, 2)))",
    "default_value = ",
    "default_expr = \"Expr::cust(\\\"",
    "indexed",
    "unique",
    "unique_key = \"",
    "ignore",
    "extra = \"ON UPDATE CURRENT_TIMESTAMP\"",
    "#[derive(DeriveEntityModel)]",
    "#[derive(DeriveActiveEnum)]",
    "#[sea_orm(rs_type = \"String\", db_type = \"Enum\", enum_name = \"e\")]",
    "pub struct Model {",
    "pub enum Relation {",
    "impl RelationTrait for Relation {",
    "fn def(&self) -> RelationDef { panic!() }",
    "pub x: i32,",
    ";",
];

fn corpus() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures");
    let mut files = Vec::new();
    // The adopted entities carry autogen's declarations and the dense format's relation fields.
    for dir in [
        "school/src/v1",
        "school/src/v5",
        "shop/src/entity",
        "adopted/src/pagila_postgres",
        "adopted/src/unusual_postgres_dense",
        "adopted/src/sakila_mysql",
    ] {
        let mut paths: Vec<PathBuf> = std::fs::read_dir(root.join(dir))
            .expect("fixture")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "rs"))
            .collect();
        paths.sort();
        files.extend(
            paths
                .iter()
                .map(|p| std::fs::read_to_string(p).expect("read")),
        );
    }
    files
}

/// A char boundary of `text` at or before `i`.
fn boundary(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn mutate(rng: &mut Rng, corpus: &[String]) -> String {
    let mut text = corpus[rng.below(corpus.len())].clone();
    for _ in 0..=rng.below(6) {
        let at = boundary(&text, rng.below(text.len() + 1));
        match rng.below(6) {
            // Insert a fragment, sometimes many times over (nesting, long names).
            0 | 1 => {
                let piece = DICTIONARY[rng.below(DICTIONARY.len())];
                let times = if rng.below(8) == 0 {
                    1 + rng.below(1200)
                } else {
                    1
                };
                text.insert_str(at, &piece.repeat(times));
            }
            // Delete a region.
            2 => {
                let end = boundary(&text, at + rng.below(80));
                text.replace_range(at..end, "");
            }
            // Duplicate a region (two Models, two columns of one name).
            3 => {
                let end = boundary(&text, at + rng.below(400));
                let region = text[at..end].to_string();
                text.insert_str(end, &region);
            }
            // Splice in another file's tail.
            4 => {
                let other = &corpus[rng.below(corpus.len())];
                let from = boundary(other, rng.below(other.len() + 1));
                text.insert_str(at, &other[from..]);
            }
            // Replace one character with an arbitrary one.
            _ => {
                let end = boundary(&text, at + 1).max(at);
                let end = if end == at && at < text.len() {
                    boundary(&text, at + 4)
                } else {
                    end
                };
                let c = char::from_u32(rng.next() as u32 % 0x11_0000).unwrap_or('\u{fffd}');
                text.replace_range(at..end, &c.to_string());
            }
        }
    }
    text
}

/// Everything downstream of the reader that a model reaches, for each dialect.
fn exercise(text: &str) {
    let sources = vec![(PathBuf::from("fuzz.rs"), text.to_string())];
    let Ok(model) = autogen_model::parse_sources(&sources) else {
        return;
    };
    for dialect in Dialect::ALL {
        let profile = Profile::oldest(dialect);
        if autogen_model::validate(&model, profile).is_err() {
            continue;
        }
        if let Ok(plan) = autogen_diff::diff(&Schema::default(), &model.schema, profile) {
            let _ = autogen_render::render_body(&plan);
            let _ = autogen_render::render_body(&plan.reverse());
            let _ = autogen_render::review_text(&plan);
        }
    }
}

fn env(key: &str, default: u64) -> u64 {
    std::env::var(key)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[test]
fn random_entity_files_are_read_or_refused_never_a_crash_or_a_hang() {
    let cases = env("AUTOGEN_FUZZ_CASES", 400);
    let seconds = env("AUTOGEN_FUZZ_SECONDS", 0);
    let seed = env("AUTOGEN_FUZZ_SEED", 20261126).max(1);
    let hang = Duration::from_secs(env("AUTOGEN_FUZZ_HANG_SECS", 60));
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/fuzz");
    std::fs::create_dir_all(&dir).expect("fuzz dir");
    let current = dir.join("current.rs");

    // The watchdog: a hung case aborts the run, naming its input.
    static STARTED_MS: AtomicU64 = AtomicU64::new(0);
    let epoch = Instant::now();
    let watched = current.clone();
    std::thread::spawn(move || {
        loop {
            std::thread::sleep(Duration::from_millis(500));
            let started = STARTED_MS.load(Ordering::SeqCst);
            let now = epoch.elapsed().as_millis() as u64;
            if started > 0 && now.saturating_sub(started) > hang.as_millis() as u64 {
                eprintln!(
                    "fuzz: a case ran for more than {hang:?} (seed {seed}); its input is {}",
                    watched.display()
                );
                std::process::abort();
            }
        }
    });

    let corpus = corpus();
    let mut rng = Rng(seed);
    let deadline = (seconds > 0).then(|| Instant::now() + Duration::from_secs(seconds));
    let mut n = 0u64;
    while deadline.map_or(n < cases, |d| Instant::now() < d) {
        let text = mutate(&mut rng, &corpus);
        std::fs::write(&current, &text).expect("write input");
        STARTED_MS.store(epoch.elapsed().as_millis().max(1) as u64, Ordering::SeqCst);
        exercise(&text);
        STARTED_MS.store(0, Ordering::SeqCst);
        n += 1;
    }
    eprintln!("fuzz: {n} cases, seed {seed}");
}
