//! Tidy: the layout rules ARCHITECTURE.md states, checked on every `cargo test` (as
//! rust-analyzer's `xtask/src/tidy.rs` does), so that they stay true:
//!
//! - a concrete dialect (`Dialect::Postgres`, `Dialect::MySql`, `Dialect::Sqlite`) is named only
//!   in dialect modules: files or folders named `postgres`, `mysql`, `sqlite`, `dialect`, `driver`;
//! - no library file has more than 800 lines, no function more than 120;
//! - no `match` over `Op` has a catch-all arm, so the compiler lists every place a new op must be
//!   handled;
//! - no two files of a crate import each other, directly or through others;
//! - an object kind has its homes: ARCHITECTURE.md's "Adding an object kind" lists at most 8
//!   library files, and no other library file names a `SqlKind` variant (shared code asks the
//!   kind's facts).
//!
//! Library files are `crates/*/src/**/*.rs`; test code (`#[cfg(test)]` items, and the files of
//! test modules, named `tests.rs` or `<topic>_tests.rs`) is not.

use proc_macro2::Span;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use syn::spanned::Spanned;
use syn::visit::Visit;

const DIALECT_MODULES: [&str; 5] = ["postgres", "mysql", "sqlite", "dialect", "driver"];
const MAX_FILE_LINES: usize = 800;
const MAX_FN_LINES: usize = 120;

struct Source {
    /// `crates/<crate>/src/<rel>`.
    path: PathBuf,
    krate: String,
    /// The module path inside its crate (`compare::tables` for `compare/tables.rs`).
    module: Vec<String>,
    lines: usize,
    ast: syn::File,
}

impl Source {
    fn is_dialect_module(&self) -> bool {
        self.module
            .iter()
            .any(|m| DIALECT_MODULES.contains(&m.as_str()))
    }

    fn shown(&self) -> String {
        self.path
            .strip_prefix(root())
            .unwrap_or(&self.path)
            .display()
            .to_string()
    }
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn rs_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            rs_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn is_cfg_test(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("cfg")
            && a.parse_args::<syn::Meta>()
                .is_ok_and(|m| m.path().is_ident("test"))
    })
}

/// Removes test-only items, at any depth of inline modules.
fn strip_tests(items: &mut Vec<syn::Item>) {
    items.retain(|item| {
        let attrs = match item {
            syn::Item::Mod(m) => &m.attrs,
            syn::Item::Fn(f) => &f.attrs,
            syn::Item::Impl(i) => &i.attrs,
            syn::Item::Use(u) => &u.attrs,
            _ => return true,
        };
        !is_cfg_test(attrs)
    });
    for item in items.iter_mut() {
        if let syn::Item::Mod(m) = item
            && let Some((_, inner)) = &mut m.content
        {
            strip_tests(inner);
        }
    }
}

fn library_sources() -> Vec<Source> {
    let mut files = Vec::new();
    rs_files(&root().join("crates"), &mut files);
    files.sort();
    let mut out = Vec::new();
    for path in files {
        let rel = path
            .strip_prefix(root().join("crates"))
            .expect("under crates");
        let parts: Vec<String> = rel
            .iter()
            .map(|p| p.to_string_lossy().into_owned())
            .collect();
        // crates/<crate>/src/...; integration tests (crates/<crate>/tests) are not library code.
        if parts.get(1).map(String::as_str) != Some("src") {
            continue;
        }
        let file_name = parts.last().cloned().unwrap_or_default();
        // Test modules live in `tests.rs` or `<topic>_tests.rs` files.
        if file_name.ends_with("tests.rs") || file_name == "main.rs" {
            continue;
        }
        let mut module: Vec<String> = parts[2..].to_vec();
        let last = module.pop().unwrap_or_default();
        let stem = last.trim_end_matches(".rs");
        if stem != "lib" && stem != "mod" {
            module.push(stem.to_string());
        }
        let text = std::fs::read_to_string(&path).expect("read source");
        let mut ast = syn::parse_file(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        strip_tests(&mut ast.items);
        out.push(Source {
            path: path.clone(),
            krate: parts[0].clone(),
            module,
            lines: text.lines().count(),
            ast,
        });
    }
    out
}

fn line(span: Span) -> usize {
    span.start().line
}

/// Finds what the rules forbid in one file.
#[derive(Default)]
struct Findings {
    dialects: Vec<(usize, String)>,
    long_fns: Vec<(usize, String, usize)>,
    op_wildcards: Vec<usize>,
    /// Lines of `match`es with arms for several `Op` variants: classifications of operations.
    op_matches: Vec<usize>,
    /// `SqlKind::<Variant>` paths (`SqlKind::ALL` and other constants are not variants).
    sql_kinds: Vec<(usize, String)>,
}

impl Findings {
    fn check_fn(&mut self, name: &syn::Ident, whole: Span) {
        let lines = whole.end().line + 1 - whole.start().line;
        if lines > MAX_FN_LINES {
            self.long_fns.push((line(whole), name.to_string(), lines));
        }
    }
}

fn names_op(pat: &syn::Pat) -> bool {
    struct Finder(bool);
    impl<'a> Visit<'a> for Finder {
        fn visit_path(&mut self, p: &'a syn::Path) {
            let segs: Vec<String> = p.segments.iter().map(|s| s.ident.to_string()).collect();
            if segs.windows(2).any(|w| w[0] == "Op") {
                self.0 = true;
            }
        }
    }
    let mut f = Finder(false);
    f.visit_pat(pat);
    f.0
}

fn is_catch_all(pat: &syn::Pat) -> bool {
    match pat {
        syn::Pat::Wild(_) => true,
        syn::Pat::Ident(i) => i.subpat.is_none(),
        syn::Pat::Or(o) => o.cases.iter().any(is_catch_all),
        _ => false,
    }
}

impl<'a> Visit<'a> for Findings {
    fn visit_path(&mut self, p: &'a syn::Path) {
        let segs: Vec<String> = p.segments.iter().map(|s| s.ident.to_string()).collect();
        for w in segs.windows(2) {
            if w[0] == "Dialect" && ["Postgres", "MySql", "Sqlite"].contains(&w[1].as_str()) {
                self.dialects.push((line(p.span()), w.join("::")));
            }
            let variant = w[1].starts_with(|c: char| c.is_ascii_uppercase())
                && w[1].chars().any(|c| c.is_ascii_lowercase());
            if w[0] == "SqlKind" && variant {
                self.sql_kinds.push((line(p.span()), w.join("::")));
            }
        }
        syn::visit::visit_path(self, p);
    }

    fn visit_item_fn(&mut self, f: &'a syn::ItemFn) {
        self.check_fn(&f.sig.ident, f.span());
        syn::visit::visit_item_fn(self, f);
    }

    fn visit_impl_item_fn(&mut self, f: &'a syn::ImplItemFn) {
        self.check_fn(&f.sig.ident, f.span());
        syn::visit::visit_impl_item_fn(self, f);
    }

    fn visit_trait_item_fn(&mut self, f: &'a syn::TraitItemFn) {
        self.check_fn(&f.sig.ident, f.span());
        syn::visit::visit_trait_item_fn(self, f);
    }

    fn visit_expr_match(&mut self, m: &'a syn::ExprMatch) {
        if m.arms.iter().any(|a| names_op(&a.pat)) && m.arms.iter().any(|a| is_catch_all(&a.pat)) {
            self.op_wildcards.push(line(m.span()));
        }
        if m.arms.iter().filter(|a| names_op(&a.pat)).count() >= 2 {
            self.op_matches.push(line(m.span()));
        }
        syn::visit::visit_expr_match(self, m);
    }
}

// ---- file import cycles --------------------------------------------------------------------

/// The paths a file refers to (`use` trees flattened, and every path in its code), and the
/// names its `use` items bring in (for following re-exports).
#[derive(Default)]
struct Refs {
    paths: Vec<Vec<String>>,
    imports: BTreeMap<String, Vec<String>>,
}

fn flatten_use(tree: &syn::UseTree, prefix: &mut Vec<String>, refs: &mut Refs) {
    match tree {
        syn::UseTree::Path(p) => {
            prefix.push(p.ident.to_string());
            flatten_use(&p.tree, prefix, refs);
            prefix.pop();
        }
        syn::UseTree::Name(n) => {
            let mut full = prefix.clone();
            full.push(n.ident.to_string());
            refs.imports.insert(n.ident.to_string(), full.clone());
            refs.paths.push(full);
        }
        syn::UseTree::Rename(r) => {
            let mut full = prefix.clone();
            full.push(r.ident.to_string());
            refs.imports.insert(r.rename.to_string(), full.clone());
            refs.paths.push(full);
        }
        syn::UseTree::Glob(_) => refs.paths.push(prefix.clone()),
        syn::UseTree::Group(g) => {
            for t in &g.items {
                flatten_use(t, prefix, refs);
            }
        }
    }
}

impl<'a> Visit<'a> for Refs {
    /// `pub(crate)`, `pub(super)`: visibility, not a reference.
    fn visit_visibility(&mut self, _: &'a syn::Visibility) {}

    fn visit_item_use(&mut self, u: &'a syn::ItemUse) {
        flatten_use(&u.tree, &mut Vec::new(), self);
    }

    fn visit_path(&mut self, p: &'a syn::Path) {
        self.paths
            .push(p.segments.iter().map(|s| s.ident.to_string()).collect());
        syn::visit::visit_path(self, p);
    }
}

/// One crate's modules, each with what it refers to.
struct CrateModules {
    refs: BTreeMap<Vec<String>, Refs>,
}

impl CrateModules {
    /// The module (file) `segments`, written in module `from`, points into; `None` for paths
    /// that leave the crate or name a local item.
    fn resolve(&self, from: &[String], segments: &[String], depth: usize) -> Option<Vec<String>> {
        let first = segments.first()?;
        let (mut base, mut rest): (Vec<String>, &[String]) = match first.as_str() {
            "crate" => (Vec::new(), &segments[1..]),
            "self" => (from.to_vec(), &segments[1..]),
            "super" => {
                let mut base = from.to_vec();
                let mut rest = segments;
                while rest.first().map(String::as_str) == Some("super") {
                    base.pop();
                    rest = &rest[1..];
                }
                (base, rest)
            }
            name => {
                let mut child = from.to_vec();
                child.push(name.to_string());
                if !self.refs.contains_key(&child) {
                    return None;
                }
                (from.to_vec(), segments)
            }
        };
        while let Some(seg) = rest.first() {
            let mut child = base.clone();
            child.push(seg.clone());
            if self.refs.contains_key(&child) {
                base = child;
                rest = &rest[1..];
            } else {
                break;
            }
        }
        // `crate::Name` where the module only re-exports `Name`: follow it to where it lives.
        if let Some(seg) = rest.first()
            && depth < 8
            && let Some(import) = self.refs.get(&base).and_then(|r| r.imports.get(seg))
            && let Some(target) = self.resolve(&base, import, depth + 1)
        {
            return Some(target);
        }
        Some(base)
    }

    fn edges(&self) -> BTreeMap<Vec<String>, BTreeSet<Vec<String>>> {
        let mut edges: BTreeMap<Vec<String>, BTreeSet<Vec<String>>> = BTreeMap::new();
        for (module, refs) in &self.refs {
            let out = edges.entry(module.clone()).or_default();
            for path in &refs.paths {
                if let Some(target) = self.resolve(module, path, 0)
                    && &target != module
                {
                    out.insert(target);
                }
            }
        }
        edges
    }
}

/// A cycle in `edges`, if there is one.
fn find_cycle(edges: &BTreeMap<Vec<String>, BTreeSet<Vec<String>>>) -> Option<Vec<Vec<String>>> {
    fn dfs(
        node: &Vec<String>,
        edges: &BTreeMap<Vec<String>, BTreeSet<Vec<String>>>,
        state: &mut BTreeMap<Vec<String>, u8>,
        stack: &mut Vec<Vec<String>>,
    ) -> Option<Vec<Vec<String>>> {
        state.insert(node.clone(), 1);
        stack.push(node.clone());
        for next in edges.get(node).into_iter().flatten() {
            match state.get(next).copied().unwrap_or(0) {
                1 => {
                    let start = stack.iter().position(|n| n == next).unwrap_or(0);
                    let mut cycle = stack[start..].to_vec();
                    cycle.push(next.clone());
                    return Some(cycle);
                }
                0 => {
                    if let Some(c) = dfs(next, edges, state, stack) {
                        return Some(c);
                    }
                }
                _ => {}
            }
        }
        stack.pop();
        state.insert(node.clone(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for node in edges.keys() {
        if state.get(node).copied().unwrap_or(0) == 0
            && let Some(c) = dfs(node, edges, &mut state, &mut Vec::new())
        {
            return Some(c);
        }
    }
    None
}

fn module_name(m: &[String]) -> String {
    if m.is_empty() {
        "lib".into()
    } else {
        m.join("::")
    }
}

#[test]
fn layout_rules_hold() {
    let sources = library_sources();
    assert!(
        sources.len() > 20,
        "found only {} library files",
        sources.len()
    );
    let mut problems = Vec::new();
    // Where a `SqlKind` variant is named: (file, line, variant).
    let mut kinds_named: Vec<(String, usize, String)> = Vec::new();
    for s in &sources {
        if s.lines > MAX_FILE_LINES {
            problems.push(format!(
                "{}: {} lines (at most {MAX_FILE_LINES}): split it by concern",
                s.shown(),
                s.lines
            ));
        }
        let mut f = Findings::default();
        f.visit_file(&s.ast);
        kinds_named.extend(
            f.sql_kinds
                .iter()
                .map(|(line, name)| (s.shown(), *line, name.clone())),
        );
        if !s.is_dialect_module() {
            for (line, name) in &f.dialects {
                problems.push(format!(
                    "{}:{line}: names {name} outside a dialect module: ask the dialect's driver instead",
                    s.shown()
                ));
            }
        }
        for (line, name, lines) in &f.long_fns {
            problems.push(format!(
                "{}:{line}: fn {name} has {lines} lines (at most {MAX_FN_LINES})",
                s.shown()
            ));
        }
        for line in &f.op_wildcards {
            problems.push(format!(
                "{}:{line}: a match over Op has a catch-all arm: list the variants",
                s.shown()
            ));
        }
        // An operation's kind has one home: `crates/diff` (its definition, its classification
        // in `kind.rs`, its findings) and each dialect's renderer (its statements).
        if s.krate != "diff" && !s.is_dialect_module() {
            for line in &f.op_matches {
                problems.push(format!(
                    "{}:{line}: a match over Op's variants outside its home: ask `Op::kind()` \
                     (crates/diff/src/kind.rs), or move it into crates/diff",
                    s.shown()
                ));
            }
        }
    }
    problems.extend(kind_homes_problems(&kinds_named));
    let crates: BTreeSet<&str> = sources.iter().map(|s| s.krate.as_str()).collect();
    for krate in crates {
        let mut modules = CrateModules {
            refs: BTreeMap::new(),
        };
        for s in sources.iter().filter(|s| s.krate == krate) {
            let mut refs = Refs::default();
            refs.visit_file(&s.ast);
            modules.refs.insert(s.module.clone(), refs);
        }
        if let Some(cycle) = find_cycle(&modules.edges()) {
            let names: Vec<String> = cycle.iter().map(|m| module_name(m)).collect();
            problems.push(format!(
                "crates/{krate}: files import each other: {}",
                names.join(" -> ")
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "tidy found {} problem(s):\n  {}",
        problems.len(),
        problems.join("\n  ")
    );
}

const MAX_KIND_HOMES: usize = 8;

/// The library files ARCHITECTURE.md's "Adding an object kind" lists between its `kind homes`
/// markers, one `- \`crates/…\`` item each.
fn kind_homes(architecture: &str) -> Vec<String> {
    let Some((_, rest)) = architecture.split_once("<!-- kind homes") else {
        return Vec::new();
    };
    let list = rest.split_once("<!-- /kind homes").map_or(rest, |(l, _)| l);
    list.lines()
        .filter_map(|l| l.trim().strip_prefix("- `"))
        .filter_map(|l| l.split_once('`').map(|(path, _)| path.to_string()))
        .collect()
}

/// What breaks "an object kind has its homes": the list missing, too long or naming a file that
/// is not there, or a `SqlKind` variant named outside it (`named`: file, line, variant).
fn kind_homes_problems(named: &[(String, usize, String)]) -> Vec<String> {
    let architecture =
        std::fs::read_to_string(root().join("ARCHITECTURE.md")).expect("read ARCHITECTURE.md");
    let homes = kind_homes(&architecture);
    let mut problems = Vec::new();
    if homes.is_empty() || homes.len() > MAX_KIND_HOMES {
        problems.push(format!(
            "ARCHITECTURE.md: \"Adding an object kind\" lists {} home files between its `kind homes` \
             markers (1 to {MAX_KIND_HOMES})",
            homes.len()
        ));
    }
    for home in &homes {
        if !root().join(home).is_file() {
            problems.push(format!("ARCHITECTURE.md: kind home {home} does not exist"));
        }
    }
    for (file, line, name) in named.iter().filter(|(file, ..)| !homes.contains(file)) {
        problems.push(format!(
            "{file}:{line}: names {name} outside the kind's homes (ARCHITECTURE.md, \"Adding an \
             object kind\"): ask a fact of the kind (crates/schema/src/sql_kind.rs)"
        ));
    }
    problems
}

#[test]
fn the_rules_catch_what_they_name() {
    let code: syn::File = syn::parse_quote! {
        fn f(op: &Op, d: Dialect) -> u8 {
            if d == Dialect::Postgres { return 0; }
            match op { Op::CreateTable(_) => 1, _ => 2 }
        }
        fn g(op: &Op) -> char {
            match op { Op::CreateTable(_) => '+', Op::DropTable(_) => '-' }
        }
    };
    let mut f = Findings::default();
    f.visit_file(&code);
    assert_eq!(f.dialects.len(), 1);
    assert_eq!(f.op_wildcards.len(), 1);
    assert_eq!(f.op_matches.len(), 1, "a classification of operations");
    let kinds: syn::File = syn::parse_quote! {
        fn h(k: SqlKind) -> bool { k == SqlKind::Index || SqlKind::ALL.is_empty() }
    };
    let mut f = Findings::default();
    f.visit_file(&kinds);
    assert_eq!(f.sql_kinds, [(1, "SqlKind::Index".to_string())]);
    let homes = kind_homes(
        "text\n<!-- kind homes -->\n- `crates/a.rs` — a.\n- `crates/b.rs`\n<!-- /kind homes -->\n- `crates/c.rs`",
    );
    assert_eq!(homes, ["crates/a.rs", "crates/b.rs"]);
    let module = |m: &[&str]| m.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let mut modules = CrateModules {
        refs: BTreeMap::new(),
    };
    let mut a = Refs::default();
    a.paths.push(module(&["crate", "b", "Thing"]));
    let mut b = Refs::default();
    b.paths.push(module(&["crate", "Other"]));
    let mut lib = Refs::default();
    lib.paths.push(module(&["a", "Other"]));
    lib.imports.insert("Other".into(), module(&["a", "Other"]));
    modules.refs.insert(module(&["a"]), a);
    modules.refs.insert(module(&["b"]), b);
    modules.refs.insert(Vec::new(), lib);
    // b -> (lib re-exports a::Other) a -> b: a cycle.
    assert!(find_cycle(&modules.edges()).is_some());
}
