//! Architecture checks, run with the unit tests so that they cannot be
//! forgotten: no import cycle between the files of src/ (a faithful port of
//! the shared tools' import-cycles.py, which needs Python), no source file
//! over 700 lines, and the sqlite and postgres migrations saying the same
//! thing apart from the known type spellings.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

/// Spellings of one column type in the two dialects: (sqlite, postgres).
/// Longer phrases first: the second entry is part of the first.
const SAME_TYPE: [(&str, &str); 2] = [
    // A 64-bit key numbered by the database itself.
    ("INTEGER PRIMARY KEY AUTOINCREMENT", "BIGSERIAL PRIMARY KEY"),
    // sqlite's INTEGER is 64-bit; postgres's INTEGER is 32-bit, so BIGINT.
    ("INTEGER", "BIGINT"),
];

/// The most lines a source file may have.
const MAX_LINES: usize = 700;

/// The repository root.
fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `\w` as Python's `re` reads it (close enough for source code).
fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// `\s`: Python counts the separators U+001C..U+001F as spaces too.
fn is_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// Whether `pat` stands in `t` at `p`.
fn at(t: &[char], p: usize, pat: &str) -> bool {
    pat.chars()
        .enumerate()
        .all(|(k, c)| t.get(p + k) == Some(&c))
}

/// The first place at or after `from` where `pat` stands.
fn find(t: &[char], from: usize, pat: &str) -> Option<usize> {
    (from..t.len()).find(|&p| at(t, p, pat))
}

/// The first place at or after `from` where `pat` starts a word (`\bpat`).
fn find_word(t: &[char], from: usize, pat: &str) -> Option<usize> {
    (from..t.len()).find(|&p| at(t, p, pat) && (p == 0 || !is_word(t[p - 1])))
}

/// The end of the run of characters from `p` on that satisfy `f`.
fn skip(t: &[char], mut p: usize, f: impl Fn(char) -> bool) -> usize {
    while p < t.len() && f(t[p]) {
        p += 1;
    }
    p
}

/// `re.sub` of a matcher (which gives a match's end) by `with`, left to right.
fn sweep(t: &[char], matcher: impl Fn(&[char], usize) -> Option<usize>, with: &str) -> Vec<char> {
    let (mut out, mut i) = (Vec::with_capacity(t.len()), 0);
    while i < t.len() {
        if let Some(end) = matcher(t, i) {
            out.extend(with.chars());
            i = end;
        } else {
            out.push(t[i]);
            i += 1;
        }
    }
    out
}

/// The end of the string literal at `i`, as the tool's `"(?:\\.|[^"\\])*"`
/// (so an escaped line break ends no string, and `'"'` starts one).
fn string_end(t: &[char], i: usize) -> Option<usize> {
    if t[i] != '"' {
        return None;
    }
    let mut j = i + 1;
    loop {
        match *t.get(j)? {
            '"' => return Some(j + 1),
            '\\' if t.get(j + 1).is_some_and(|&c| c != '\n') => j += 2,
            '\\' => return None,
            _ => j += 1,
        }
    }
}

/// How much `c` deepens the nesting of braces.
fn brace(c: char) -> i32 {
    i32::from(c == '{') - i32::from(c == '}')
}

/// The end of a `#[cfg(test)] mod name {` block at `p`: braces counted from
/// its opening one, to the end of the text if they never balance.
fn test_block_end(t: &[char], p: usize) -> Option<usize> {
    if !at(t, p, "#[cfg(test)]") {
        return None;
    }
    let q = skip(t, p + 12, is_space);
    let name = skip(t, q + 3, is_space);
    let name_end = skip(t, name, is_word);
    let open = skip(t, name_end, is_space);
    let header = at(t, q, "mod") && q + 3 < name && name < name_end;
    if !header || t.get(open) != Some(&'{') {
        return None;
    }
    let mut depth = 1;
    let inside = t[open + 1..].iter().take_while(|&&c| {
        depth += brace(c);
        depth > 0
    });
    Some((open + 2 + inside.count()).min(t.len()))
}

/// The text without comments, string contents and test modules, in the tool's
/// order (so `//` inside a string cuts it, as there).
fn strip(text: &str) -> Vec<char> {
    // Python reads with universal newlines.
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let t: Vec<char> = text.chars().collect();
    let line_comment = |t: &[char], i| at(t, i, "//").then(|| skip(t, i, |c| c != '\n'));
    let t = sweep(&t, line_comment, "");
    let block_comment = |t: &[char], i| at(t, i, "/*").then(|| find(t, i + 2, "*/")).flatten();
    let t = sweep(&t, |t, i| block_comment(t, i).map(|end| end + 2), "");
    let t = sweep(&t, string_end, "\"\"");
    sweep(&t, test_block_end, "")
}

/// The non-empty `::`-separated parts of a path.
fn segments(path: &str) -> impl Iterator<Item = String> + '_ {
    path.split("::").filter(|s| !s.is_empty()).map(String::from)
}

/// An item `head::{inner}` of a use group split in two, as the tool's
/// `([\w:]*?)::\{(.*)\}$`.
fn split_group(item: &str) -> Option<(&str, &str)> {
    let close = item.strip_suffix('}')?.len();
    for (p, ch) in item.char_indices() {
        if item[p..].starts_with("::{") && p + 3 <= close {
            return Some((&item[..p], &item[p + 3..close]));
        }
        if !(is_word(ch) || ch == ':') {
            return None;
        }
    }
    None
}

/// The paths of a use-group body `a::{b, c::d}, e as f` under `prefix`.
fn expand(prefix: &[String], body: &str) -> Vec<Vec<String>> {
    let (mut paths, mut depth, mut cur) = (Vec::new(), 0, String::new());
    for ch in body.chars().chain([',']) {
        depth += brace(ch);
        if ch != ',' || depth != 0 {
            cur.push(ch);
            continue;
        }
        let item = cur.trim_matches(is_space);
        let mut path = prefix.to_vec();
        if let Some((head, inner)) = split_group(item) {
            path.extend(segments(head));
            paths.extend(expand(&path, inner));
        } else if !item.is_empty() {
            path.extend(segments(item.split(" as ").next().unwrap_or_default()));
            paths.push(path);
        }
        cur.clear();
    }
    paths
}

/// The path at `p` after `crate::` or `super::`, as the tool's
/// `((?:\w+::)*\w+)(?:::\{(.*?)\})?`: its parts, the group body up to the
/// first `}` if one follows, and the end of the match.
fn path_at(t: &[char], p: usize) -> Option<(Vec<String>, Option<String>, usize)> {
    let (mut parts, mut q) = (Vec::new(), p);
    loop {
        let start = q;
        q = skip(t, q, is_word);
        if q == start {
            return None;
        }
        parts.push(t[start..q].iter().collect());
        if !(at(t, q, "::") && t.get(q + 2).is_some_and(|&c| is_word(c))) {
            break;
        }
        q += 2;
    }
    if at(t, q, "::{") {
        if let Some(close) = find(t, q + 3, "}") {
            return Some((parts, Some(t[q + 3..close].iter().collect()), close + 1));
        }
    }
    Some((parts, None, q))
}

/// Every `crate::` and `super::` path in stripped text; `parent` is the
/// module that `super` names.
fn use_paths(t: &[char], parent: &[String]) -> Vec<Vec<String>> {
    let mut paths = Vec::new();
    // `crate::{..};` up to the first `};`, as the tool's lazy regex.
    let mut from = 0;
    while let Some(p) = find_word(t, from, "crate::{") {
        let Some(end) = find(t, p + 8, "};") else {
            break;
        };
        paths.extend(expand(&[], &t[p + 8..end].iter().collect::<String>()));
        from = end + 2;
    }
    for (word, base) in [("crate::", &[][..]), ("super::", parent)] {
        let mut from = 0;
        while let Some(p) = find_word(t, from, word) {
            let Some((parts, group, end)) = path_at(t, p + word.len()) else {
                from = p + 1;
                continue;
            };
            let path: Vec<String> = base.iter().cloned().chain(parts).collect();
            match group.filter(|g| !g.is_empty()) {
                Some(group) => paths.extend(expand(&path, &group)),
                None => paths.push(path),
            }
            from = end;
        }
    }
    paths
}

/// Every .rs file under `dir`, relative to `src` with `/` separators.
fn rust_files(src: &Path, dir: &Path, out: &mut Vec<String>) {
    let mut entries: Vec<_> = fs::read_dir(dir).unwrap().map(|e| e.unwrap()).collect();
    entries.sort_by_key(fs::DirEntry::file_name);
    for entry in entries {
        let path = entry.path();
        if entry.file_type().unwrap().is_dir() {
            rust_files(src, &path, out);
        } else if path.to_string_lossy().ends_with(".rs") {
            let rel = path.strip_prefix(src).unwrap().to_string_lossy();
            out.push(rel.replace(std::path::MAIN_SEPARATOR, "/"));
        }
    }
}

/// The import graph of the files under `src`: their names and, per file, the
/// files whose modules it names.
fn graph(src: &Path) -> (Vec<String>, Vec<Vec<usize>>) {
    let mut files = Vec::new();
    rust_files(src, src, &mut files);
    // One file per module, as the tool's dict: of lib.rs and main.rs the later
    // stays. Neither can be a target (paths resolve to one part at least).
    let mut by_module = BTreeMap::new();
    for rel in files {
        let mut module: Vec<String> = rel[..rel.len() - 3].split('/').map(String::from).collect();
        if module
            .last()
            .is_some_and(|m| ["mod", "lib", "main"].contains(&&m[..]))
        {
            module.pop();
        }
        by_module.insert(module, rel);
    }
    let (modules, names): (Vec<Vec<String>>, Vec<String>) = by_module.into_iter().unzip();
    let ids: HashMap<&[String], usize> = modules.iter().map(|m| &m[..]).zip(0..).collect();
    // The file of the longest module the path starts with.
    let resolve = |path: &Vec<String>| (1..=path.len()).rev().find_map(|k| ids.get(&path[..k]));
    let edges = (0..names.len())
        .map(|i| {
            let text = fs::read_to_string(src.join(&names[i])).unwrap();
            let parent = &modules[i][..modules[i].len().saturating_sub(1)];
            let mut to: Vec<usize> = use_paths(&strip(&text), parent)
                .iter()
                .filter_map(resolve)
                .copied()
                .filter(|&j| j != i)
                .collect();
            to.sort_unstable();
            to.dedup();
            to
        })
        .collect();
    (names, edges)
}

/// Tarjan's strongly connected components, iteratively.
fn components(edges: &[Vec<usize>]) -> Vec<Vec<usize>> {
    let n = edges.len();
    let (mut index, mut low, mut on) = (vec![usize::MAX; n], vec![0; n], vec![false; n]);
    let (mut stack, mut comps, mut next) = (Vec::new(), Vec::new(), 0);
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        // (node, how many of its edges are done)
        let mut calls = vec![(root, 0)];
        while let Some((v, done)) = calls.pop() {
            if done == 0 {
                (index[v], low[v], on[v], next) = (next, next, true, next + 1);
                stack.push(v);
            }
            if let Some(&w) = edges[v].get(done) {
                calls.push((v, done + 1));
                if index[w] == usize::MAX {
                    calls.push((w, 0));
                } else if on[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            if low[v] == index[v] {
                let at = stack.iter().rposition(|&w| w == v).unwrap();
                let comp = stack.split_off(at);
                for &w in &comp {
                    on[w] = false;
                }
                comps.push(comp);
            }
            if let Some(&(u, _)) = calls.last() {
                low[u] = low[u].min(low[v]);
            }
        }
    }
    comps
}

/// The import cycles between the files under `src`: each a sorted list of
/// file names relative to `src`. Paths in `#[cfg(test)] mod` blocks do not count.
fn cycles(src: &Path) -> Vec<Vec<String>> {
    let (names, edges) = graph(src);
    let mut found: Vec<Vec<String>> = components(&edges)
        .into_iter()
        .filter(|c| c.len() > 1)
        .map(|c| {
            let mut c: Vec<String> = c.into_iter().map(|v| names[v].clone()).collect();
            c.sort();
            c
        })
        .collect();
    found.sort();
    found
}

/// Files that use each other cannot be understood, tested or moved apart.
#[test]
fn no_import_cycle_in_src() {
    let found = cycles(&root().join("src"));
    let lines: Vec<String> = found
        .iter()
        .map(|c| format!("cycle of {} files: {}", c.len(), c.join(", ")))
        .collect();
    assert!(
        found.is_empty(),
        "import cycles in src/:\n{}",
        lines.join("\n")
    );
}

/// A tree with the cycle a -> b -> c -> b/d -> a (and b/d -> b); e is used by
/// b but mentions the others only where that must be ignored.
const TREE: [(&str, &str); 6] = [
    ("lib.rs", "pub mod a;\npub mod b;\npub mod c;\npub mod e;\n"),
    ("a.rs", "use crate::b::X;\npub struct Y;\n"),
    (
        "b/mod.rs",
        "pub mod d;\nuse crate::{c::{self, Z as W}, e::E};\npub struct X;\n",
    ),
    (
        "b/d.rs",
        "use super::X;\npub fn f() -> crate::a::Y {\n    crate::a::Y\n}\n",
    ),
    ("c.rs", "pub fn g(_: super::b::d::D) {}\npub struct Z;\n"),
    ("e.rs", IGNORED),
];

/// A file whose every mention of another module must be ignored.
const IGNORED: &str = "// use crate::a::Y;
/* crate::b::X */
pub const S: &str = \"crate::c::Z and super::b\";
#[cfg(test)]
mod tests {
    use crate::a::Y;
    fn f() { let _ = crate::b::X; }
}
pub struct E;
";

/// A temporary tree, removed when dropped.
struct TempTree(PathBuf);

impl Drop for TempTree {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// The test above could pass by finding nothing: here it must find a cycle.
#[test]
fn the_cycle_finder_sees_a_cycle() {
    let nanos = UNIX_EPOCH.elapsed().unwrap().as_nanos();
    let tree = TempTree(std::env::temp_dir().join(format!("arch-{}-{nanos}", std::process::id())));
    let write = |rel: &str, text: &str| {
        let path = tree.0.join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    };
    for (rel, text) in TREE {
        write(rel, text);
    }
    assert_eq!(cycles(&tree.0), [["a.rs", "b/d.rs", "b/mod.rs", "c.rs"]]);
    // Without b -> c nothing leads back to b.
    write("b/mod.rs", "pub mod d;\nuse crate::e::E;\npub struct X;\n");
    assert_eq!(cycles(&tree.0), Vec::<Vec<String>>::new());
}

/// Long files hide several concerns; split them instead.
#[test]
fn no_file_in_src_is_over_700_lines() {
    let src = root().join("src");
    let mut files = Vec::new();
    rust_files(&src, &src, &mut files);
    let long: Vec<String> = files
        .iter()
        .filter_map(|rel| {
            let lines = fs::read_to_string(src.join(rel)).unwrap().lines().count();
            (lines > MAX_LINES).then(|| format!("{rel}: {lines} lines"))
        })
        .collect();
    assert!(
        long.is_empty(),
        "files over {MAX_LINES} lines in src/:\n{}",
        long.join("\n")
    );
}

/// `line` with one dialect's spellings in `SAME_TYPE` replaced, whole words
/// only, by a placeholder per entry.
fn normalise(line: &str, postgres: bool) -> String {
    let mut line = line.to_string();
    for (k, &(sqlite, pg)) in SAME_TYPE.iter().enumerate() {
        let phrase = if postgres { pg } else { sqlite };
        let placeholder = format!("<type {k}>");
        let (mut out, mut last) = (String::new(), 0);
        for (p, _) in line.match_indices(phrase) {
            let end = p + phrase.len();
            let before = line[..p].chars().next_back().is_some_and(is_word);
            if !before && !line[end..].chars().next().is_some_and(is_word) {
                out.push_str(&line[last..p]);
                out.push_str(&placeholder);
                last = end;
            }
        }
        out.push_str(&line[last..]);
        line = out;
    }
    line
}

/// The names of the files in `dir`.
fn names_in(dir: &Path) -> BTreeSet<String> {
    let entries = fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    entries
        .map(|e| e.unwrap().file_name().to_string_lossy().into())
        .collect()
}

/// A migration's lines, but those of a block that each database must say
/// in its own language (a trigger): from a line `-- dialect: why` to a line
/// `-- end dialect`, only the two marker lines are compared.
fn same_sql_lines(sql: &str) -> Vec<&str> {
    let mut inside = false;
    sql.split('\n')
        .filter(|l| {
            if l.starts_with("-- dialect:") {
                inside = true;
                return true;
            }
            if l.starts_with("-- end dialect") {
                inside = false;
            }
            !inside
        })
        .collect()
}

/// The first line where a sqlite and a postgres migration differ beyond
/// `SAME_TYPE`, if any.
fn first_difference(sqlite: &str, postgres: &str) -> Option<String> {
    let (a, b) = (same_sql_lines(sqlite), same_sql_lines(postgres));
    let same =
        |k: &usize| a.get(*k).map(|l| normalise(l, false)) == b.get(*k).map(|l| normalise(l, true));
    let k = (0..a.len().max(b.len())).find(|k| !same(k))?;
    let show = |lines: &[&str]| {
        lines
            .get(k)
            .map_or_else(|| "(end of file)".into(), |l| format!("`{l}`"))
    };
    Some(format!(
        "line {}:\n  sqlite:   {}\n  postgres: {}",
        k + 1,
        show(&a),
        show(&b)
    ))
}

/// The app runs on either database, so both must get the same schema.
#[test]
fn the_two_migration_folders_agree() {
    let (lite_dir, pg_dir) = (
        root().join("migrations/sqlite"),
        root().join("migrations/postgres"),
    );
    let (lite, pg) = (names_in(&lite_dir), names_in(&pg_dir));
    assert!(!lite.is_empty(), "no migrations in {}", lite_dir.display());
    let mut problems: Vec<String> = lite
        .difference(&pg)
        .map(|n| format!("{n}: only in sqlite"))
        .collect();
    problems.extend(
        pg.difference(&lite)
            .map(|n| format!("{n}: only in postgres")),
    );
    for name in lite.intersection(&pg) {
        let read = |dir: &Path| fs::read_to_string(dir.join(name)).unwrap();
        if let Some(difference) = first_difference(&read(&lite_dir), &read(&pg_dir)) {
            problems.push(format!("{name} {difference}"));
        }
    }
    let problems = problems.join("\n");
    assert!(
        problems.is_empty(),
        "migrations/sqlite and migrations/postgres differ:\n{problems}"
    );
}
