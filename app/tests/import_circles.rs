//! No import circles between files of `app/src` (issue 10, point 6): file A uses B and B uses A,
//! directly or through others, is a circle. Each circle found is listed with its files and, for each
//! file, which of the others it names.
//!
//! The graph is read from the sources, without compiling: an edge goes from a file to the file a path
//! it names resolves to (the longest prefix of the path that is a file, `a/b.rs` or `a/b/mod.rs`).
//! Paths are those of `use` items (groups, `self`, `pub use` re-exports included) and paths written
//! inline (`crate::a::b::f()`, `super::x::Y`, `child::Z`). `mod x;` declarations are not edges: a
//! parent declaring its children is the tree, not an import.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A module path from the crate root: `["console", "audit", "api"]`; the root is `[]`.
type ModPath = Vec<String>;

#[test]
fn there_are_no_import_circles_between_files() {
    // IMPORT_CIRCLES_SRC checks another tree (e.g. an exported older commit) with the same rules.
    let src = std::env::var_os("IMPORT_CIRCLES_SRC")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("src"));
    let files = source_files(&src);
    let graph = Graph::build(&files);
    let circles = graph.circles();
    if !circles.is_empty() {
        panic!("{}", graph.report(&circles));
    }
}

// ---------------------------------------------------------------------------------------------------
// Files and their module paths

/// Every `.rs` file under `src`, with its module path and text.
fn source_files(src: &Path) -> Vec<(String, ModPath, String)> {
    let mut paths = Vec::new();
    walk(src, &mut paths);
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let rel = p.strip_prefix(src).unwrap().to_string_lossy().replace('\\', "/");
            let text = std::fs::read_to_string(&p).unwrap();
            let module = module_path_of(&rel);
            (rel, module, text)
        })
        .collect()
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            walk(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// `lib.rs` -> `[]`, `a/b.rs` -> `[a, b]`, `a/mod.rs` -> `[a]`.
fn module_path_of(rel: &str) -> ModPath {
    let without = rel.strip_suffix(".rs").unwrap_or(rel);
    let mut parts: Vec<String> = without.split('/').map(str::to_string).collect();
    if parts.last().is_some_and(|l| l == "mod" || l == "lib" || l == "main") {
        parts.pop();
    }
    parts
}

// ---------------------------------------------------------------------------------------------------
// Lexing: the code without comments, strings and char literals, as tokens

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Ident(String),
    /// `::`
    Sep,
    Punct(char),
}

fn tokens(text: &str) -> Vec<Tok> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            i = skip_block_comment(&chars, i);
        } else if c == '"' {
            i = skip_string(&chars, i + 1);
        } else if (c == 'r' || c == 'b') && is_raw_string_start(&chars, i) {
            i = skip_raw_string(&chars, i);
        } else if c == '\'' {
            i = skip_char_or_lifetime(&chars, i);
        } else if c.is_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            // `b"..."`: a byte string, not an identifier followed by a string.
            if word == "b" && chars.get(i) == Some(&'"') {
                i = skip_string(&chars, i + 1);
            } else {
                out.push(Tok::Ident(word));
            }
        } else if c == ':' && next == Some(':') {
            out.push(Tok::Sep);
            i += 2;
        } else if c.is_whitespace() {
            i += 1;
        } else {
            out.push(Tok::Punct(c));
            i += 1;
        }
    }
    out
}

fn skip_block_comment(chars: &[char], mut i: usize) -> usize {
    let mut depth = 0;
    while i < chars.len() {
        if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
            depth += 1;
            i += 2;
        } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
            depth -= 1;
            i += 2;
            if depth == 0 {
                return i;
            }
        } else {
            i += 1;
        }
    }
    i
}

/// From just after the opening quote to just after the closing one.
fn skip_string(chars: &[char], mut i: usize) -> usize {
    while i < chars.len() {
        match chars[i] {
            '\\' => i += 2,
            '"' => return i + 1,
            _ => i += 1,
        }
    }
    i
}

/// `r"`, `r#"`, `br"`, `br#"` (and not an identifier that merely starts with r or b).
fn is_raw_string_start(chars: &[char], i: usize) -> bool {
    if i > 0 && (chars[i - 1].is_alphanumeric() || chars[i - 1] == '_') {
        return false;
    }
    let mut j = i;
    if chars[j] == 'b' {
        j += 1;
    }
    if chars.get(j) != Some(&'r') {
        return false;
    }
    j += 1;
    while chars.get(j) == Some(&'#') {
        j += 1;
    }
    chars.get(j) == Some(&'"')
}

fn skip_raw_string(chars: &[char], mut i: usize) -> usize {
    while chars[i] != '#' && chars[i] != '"' {
        i += 1;
    }
    let mut hashes = 0;
    while chars[i] == '#' {
        hashes += 1;
        i += 1;
    }
    i += 1;
    while i < chars.len() {
        if chars[i] == '"' && (0..hashes).all(|k| chars.get(i + 1 + k) == Some(&'#')) {
            return i + 1 + hashes;
        }
        i += 1;
    }
    i
}

/// `'a'`, `'\n'`, `'\u{1F600}'` are skipped whole; a lifetime `'a` only loses its quote.
fn skip_char_or_lifetime(chars: &[char], i: usize) -> usize {
    if chars.get(i + 1) == Some(&'\\') {
        let mut j = i + 2;
        while j < chars.len() && chars[j] != '\'' {
            j += 1;
        }
        return j + 1;
    }
    if chars.get(i + 2) == Some(&'\'') {
        return i + 3;
    }
    i + 1
}

// ---------------------------------------------------------------------------------------------------
// Paths named by a file

/// Where a path was written: the module it is relative to (the file's module plus any inline `mod`).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Named {
    scope: ModPath,
    path: Vec<String>,
}

/// Every path a file names (in `use` items and inline), with the module each is written in.
fn named_paths(file_module: &ModPath, text: &str) -> Vec<Named> {
    let toks = tokens(text);
    let mut out = Vec::new();
    // Inline modules (`mod tests { ... }`): (name, brace depth inside it).
    let mut inline: Vec<(String, usize)> = Vec::new();
    let mut depth = 0usize;
    let mut i = 0;
    while i < toks.len() {
        let scope = || {
            let mut s = file_module.clone();
            s.extend(inline.iter().map(|(n, _)| n.clone()));
            s
        };
        match &toks[i] {
            Tok::Punct('{') => depth += 1,
            Tok::Punct('}') => {
                if inline.last().is_some_and(|(_, d)| *d == depth) {
                    inline.pop();
                }
                depth = depth.saturating_sub(1);
            }
            Tok::Ident(w) if w == "mod" => {
                if let (Some(Tok::Ident(name)), Some(Tok::Punct('{'))) = (toks.get(i + 1), toks.get(i + 2)) {
                    inline.push((name.clone(), depth + 1));
                }
            }
            Tok::Ident(w) if w == "use" && !is_macro_var(&toks, i) => {
                let (paths, end) = parse_use_tree(&toks, i + 1);
                let scope = scope();
                out.extend(paths.into_iter().map(|path| Named { scope: scope.clone(), path }));
                i = end;
                continue;
            }
            // An inline path: only its start, not a tail of `a::b::c` already read.
            Tok::Ident(first)
                if toks.get(i + 1) == Some(&Tok::Sep)
                    && !is_macro_var(&toks, i)
                    && (i == 0 || toks[i - 1] != Tok::Sep) =>
            {
                let mut path = vec![first.clone()];
                let mut j = i + 1;
                while toks.get(j) == Some(&Tok::Sep) {
                    match toks.get(j + 1) {
                        Some(Tok::Ident(seg)) => path.push(seg.clone()),
                        _ => break,
                    }
                    j += 2;
                }
                out.push(Named { scope: scope(), path });
                i = j;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// `$crate::x` in a macro body: not a path of this crate's files as written.
fn is_macro_var(toks: &[Tok], i: usize) -> bool {
    i > 0 && toks[i - 1] == Tok::Punct('$')
}

/// Reads one use tree from `toks[i]` up to its `;`; returns the full paths and the index after it.
fn parse_use_tree(toks: &[Tok], i: usize) -> (Vec<Vec<String>>, usize) {
    let mut out = Vec::new();
    let end = use_tree(toks, i, &[], &mut out);
    let mut j = end;
    while j < toks.len() && toks[j] != Tok::Punct(';') {
        j += 1;
    }
    (out, j + 1)
}

/// One tree (`a::b::{c, d::e as f, self, *}`), prefixed by `prefix`; returns the index after it.
fn use_tree(toks: &[Tok], mut i: usize, prefix: &[String], out: &mut Vec<Vec<String>>) -> usize {
    let mut path = prefix.to_vec();
    // A leading `::` (`use ::std::x`) names an external crate.
    if toks.get(i) == Some(&Tok::Sep) {
        path.push("::".into());
        i += 1;
    }
    loop {
        match toks.get(i) {
            Some(Tok::Ident(seg)) if seg == "self" && !path.is_empty() => i += 1,
            Some(Tok::Ident(seg)) => {
                path.push(seg.clone());
                i += 1;
            }
            Some(Tok::Punct('{')) => {
                i += 1;
                while toks.get(i).is_some_and(|t| *t != Tok::Punct('}')) {
                    i = use_tree(toks, i, &path, out);
                    if toks.get(i) == Some(&Tok::Punct(',')) {
                        i += 1;
                    }
                }
                return i + 1;
            }
            Some(Tok::Punct('*')) => {
                out.push(path);
                return i + 1;
            }
            _ => break,
        }
        if toks.get(i) == Some(&Tok::Sep) {
            i += 1;
            continue;
        }
        break;
    }
    // `as name`
    if toks.get(i) == Some(&Tok::Ident("as".into())) {
        i += 2;
    }
    if !path.is_empty() {
        out.push(path);
    }
    i
}

// ---------------------------------------------------------------------------------------------------
// The graph

struct Graph {
    files: Vec<String>,
    edges: Vec<BTreeSet<usize>>,
}

impl Graph {
    fn build(sources: &[(String, ModPath, String)]) -> Graph {
        let by_module: BTreeMap<ModPath, usize> =
            sources.iter().enumerate().map(|(i, (_, m, _))| (m.clone(), i)).collect();
        let mut edges = vec![BTreeSet::new(); sources.len()];
        for (from, (_, module, text)) in sources.iter().enumerate() {
            for named in named_paths(module, text) {
                if let Some(to) = resolve(&by_module, &named) {
                    if to != from {
                        edges[from].insert(to);
                    }
                }
            }
        }
        Graph { files: sources.iter().map(|(f, _, _)| f.clone()).collect(), edges }
    }

    /// The strongly connected components of more than one file (Tarjan), each sorted, largest first.
    fn circles(&self) -> Vec<Vec<usize>> {
        let mut t = Tarjan {
            graph: self,
            index: vec![None; self.files.len()],
            low: vec![0; self.files.len()],
            on_stack: vec![false; self.files.len()],
            stack: Vec::new(),
            next: 0,
            found: Vec::new(),
        };
        for v in 0..self.files.len() {
            if t.index[v].is_none() {
                t.visit(v);
            }
        }
        let mut circles: Vec<Vec<usize>> = t.found.into_iter().filter(|c| c.len() > 1).collect();
        for c in &mut circles {
            c.sort_by(|a, b| self.files[*a].cmp(&self.files[*b]));
        }
        circles.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| self.files[a[0]].cmp(&self.files[b[0]])));
        circles
    }

    fn report(&self, circles: &[Vec<usize>]) -> String {
        let mut s = format!("{} import circle(s) between files of app/src:\n", circles.len());
        for (n, circle) in circles.iter().enumerate() {
            s.push_str(&format!("\ncircle {} ({} files):\n", n + 1, circle.len()));
            for &f in circle {
                let inside: Vec<&str> =
                    self.edges[f].iter().filter(|t| circle.contains(t)).map(|t| self.files[*t].as_str()).collect();
                s.push_str(&format!("  {}  ->  {}\n", self.files[f], inside.join(", ")));
            }
        }
        s
    }
}

/// The file a named path lands in: made absolute from its scope, then the longest prefix that is a
/// file. Paths into other crates land nowhere.
fn resolve(by_module: &BTreeMap<ModPath, usize>, named: &Named) -> Option<usize> {
    let absolute = absolute(by_module, named)?;
    (0..=absolute.len()).rev().find_map(|n| by_module.get(&absolute[..n].to_vec()).copied())
}

fn absolute(by_module: &BTreeMap<ModPath, usize>, named: &Named) -> Option<Vec<String>> {
    let mut segs = named.path.iter().peekable();
    let mut base: Vec<String> = match segs.peek().map(|s| s.as_str()) {
        Some("crate") => {
            segs.next();
            Vec::new()
        }
        Some("self") => {
            segs.next();
            named.scope.clone()
        }
        Some("super") => {
            let mut b = named.scope.clone();
            while segs.peek().is_some_and(|s| *s == "super") {
                segs.next();
                b.pop()?;
            }
            b
        }
        // Relative to the current module: only when it names a child module that exists.
        Some(first) => {
            let mut child = named.scope.clone();
            child.push(first.to_string());
            if !is_module(by_module, &child) {
                return None;
            }
            named.scope.clone()
        }
        None => return None,
    };
    base.extend(segs.cloned());
    Some(base)
}

/// A file module, or a folder whose files are modules under it.
fn is_module(by_module: &BTreeMap<ModPath, usize>, path: &ModPath) -> bool {
    by_module.range(path.clone()..).next().is_some_and(|(m, _)| m.starts_with(path))
}

struct Tarjan<'g> {
    graph: &'g Graph,
    index: Vec<Option<usize>>,
    low: Vec<usize>,
    on_stack: Vec<bool>,
    stack: Vec<usize>,
    next: usize,
    found: Vec<Vec<usize>>,
}

impl Tarjan<'_> {
    fn visit(&mut self, v: usize) {
        self.index[v] = Some(self.next);
        self.low[v] = self.next;
        self.next += 1;
        self.stack.push(v);
        self.on_stack[v] = true;
        for &w in &self.graph.edges[v] {
            match self.index[w] {
                None => {
                    self.visit(w);
                    self.low[v] = self.low[v].min(self.low[w]);
                }
                Some(iw) if self.on_stack[w] => self.low[v] = self.low[v].min(iw),
                Some(_) => {}
            }
        }
        if Some(self.low[v]) == self.index[v] {
            let mut component = Vec::new();
            while let Some(w) = self.stack.pop() {
                self.on_stack[w] = false;
                component.push(w);
                if w == v {
                    break;
                }
            }
            self.found.push(component);
        }
    }
}

// ---------------------------------------------------------------------------------------------------
// The parser and the resolution on small strings

#[cfg(test)]
mod parser {
    use super::*;

    fn m(s: &str) -> ModPath {
        if s.is_empty() {
            Vec::new()
        } else {
            s.split("::").map(str::to_string).collect()
        }
    }

    fn paths(module: &str, text: &str) -> Vec<String> {
        named_paths(&m(module), text)
            .into_iter()
            .map(|n| format!("{}|{}", n.scope.join("::"), n.path.join("::")))
            .collect()
    }

    #[test]
    fn groups_nested_groups_self_and_renames() {
        assert_eq!(
            paths("x", "use crate::{a::b, c::{d, e as f, self}, g::*};"),
            vec!["x|crate::a::b", "x|crate::c::d", "x|crate::c::e", "x|crate::c", "x|crate::g"]
        );
        assert_eq!(paths("x", "pub use super::y::Z;"), vec!["x|super::y::Z"]);
        assert_eq!(paths("x", "pub(crate) use self::inner::{self as i};"), vec!["x|self::inner"]);
    }

    #[test]
    fn inline_paths_count_and_comments_strings_and_macro_vars_do_not() {
        let text = r##"
            // use crate::commented::Out;
            /* crate::block::Comment /* nested */ */
            fn f<'a>(x: &'a str) -> char {
                let s = "crate::in_string::X";
                let r = r#"crate::in_raw::Y "quoted""#;
                let b = b"crate::bytes";
                $crate::macro_var::Z;
                crate::real::call(leptos::prelude::x);
                'c'
            }
        "##;
        assert_eq!(paths("x", text), vec!["x|crate::real::call", "x|leptos::prelude::x"]);
    }

    #[test]
    fn inline_modules_change_the_scope_and_end_with_their_brace() {
        let text = "mod tests { fn f() { if true {} } use super::*; }\nuse super::after;";
        assert_eq!(paths("a::b", text), vec!["a::b::tests|super", "a::b|super::after"]);
    }

    #[test]
    fn mod_declarations_and_visibility_are_not_paths() {
        assert!(paths("x", "pub mod a;\nmod b;\npub(super) fn f() {}\npub(crate) struct S;").is_empty());
    }

    fn graph(files: &[(&str, &str)]) -> Graph {
        let sources: Vec<(String, ModPath, String)> =
            files.iter().map(|(f, t)| (f.to_string(), module_path_of(f), t.to_string())).collect();
        Graph::build(&sources)
    }

    fn edges_of(g: &Graph, file: &str) -> Vec<String> {
        let i = g.files.iter().position(|f| f == file).unwrap();
        g.edges[i].iter().map(|t| g.files[*t].clone()).collect()
    }

    #[test]
    fn paths_resolve_to_the_longest_prefix_that_is_a_file() {
        let g = graph(&[
            ("lib.rs", "pub mod a; pub mod c; use a::b::Thing; fn f() { c::go(); }"),
            ("a/mod.rs", "pub mod b; use crate::c::{self};"),
            ("a/b.rs", "use super::super::c::deep::Item; use self::nothing::Here;"),
            ("c.rs", "use crate::a::b::Thing; use std::fmt; use crate::Root;"),
        ]);
        assert_eq!(edges_of(&g, "lib.rs"), vec!["a/b.rs", "c.rs"]);
        assert_eq!(edges_of(&g, "a/mod.rs"), vec!["c.rs"], "mod b; is not an edge");
        assert_eq!(edges_of(&g, "a/b.rs"), vec!["c.rs"], "self:: paths into the file itself are no edge");
        assert_eq!(edges_of(&g, "c.rs"), vec!["lib.rs", "a/b.rs"]);
    }

    #[test]
    fn tarjan_finds_every_circle_and_only_circles() {
        let g = graph(&[
            ("lib.rs", "pub mod a; pub mod b; pub mod c; pub mod d; pub mod e;"),
            ("a.rs", "use crate::b::X;"),
            ("b.rs", "use crate::c::X;"),
            ("c.rs", "use crate::a::X;"),
            ("d.rs", "use crate::e::X;"),
            ("e.rs", "pub use crate::d::Y;"),
        ]);
        let circles: Vec<Vec<&str>> =
            g.circles().iter().map(|c| c.iter().map(|i| g.files[*i].as_str()).collect()).collect();
        assert_eq!(circles, vec![vec!["a.rs", "b.rs", "c.rs"], vec!["d.rs", "e.rs"]]);
        assert!(g.report(&g.circles()).contains("e.rs  ->  d.rs"));
    }
}
