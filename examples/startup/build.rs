// A migration file added to `migrations/` rebuilds the application, so `embed!` sees it.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
