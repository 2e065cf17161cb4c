//! Build-time inputs of the server:
//! - the Fluent catalogues in `locales/` are compiled in (src/i18n.rs), so a
//!   new language folder must rebuild;
//! - the quick guide's pictures, `docs/screenshots/<lang>/<step>-phone.png`
//!   (taken by the Playwright suite), are embedded with their sizes.

use std::fmt::Write;
use std::path::Path;

fn main() {
    commit();
    println!("cargo:rerun-if-changed=locales");
    println!("cargo:rerun-if-changed=docs/screenshots");
    let root = std::env::var("CARGO_MANIFEST_DIR").unwrap();
    let shots = Path::new(&root).join("docs/screenshots");
    let mut found = Vec::new();
    if let Ok(langs) = std::fs::read_dir(&shots) {
        for lang in langs.flatten().filter(|e| e.path().is_dir()) {
            println!("cargo:rerun-if-changed={}", lang.path().display());
            let tag = lang.file_name().to_string_lossy().to_string();
            for file in std::fs::read_dir(lang.path())
                .into_iter()
                .flatten()
                .flatten()
            {
                let name = file.file_name().to_string_lossy().to_string();
                let Some(step) = name.strip_suffix("-phone.png") else {
                    continue;
                };
                let Ok(bytes) = std::fs::read(file.path()) else {
                    continue;
                };
                // A PNG's IHDR: width and height, big-endian, at bytes 16..24.
                if bytes.len() < 24 || &bytes[1..4] != b"PNG" {
                    continue;
                }
                let w = u32::from_be_bytes(bytes[16..20].try_into().unwrap());
                let h = u32::from_be_bytes(bytes[20..24].try_into().unwrap());
                found.push((tag.clone(), step.to_string(), w, h, file.path()));
            }
        }
    }
    found.sort();
    let mut out = String::from("/// (language, step, width, height, PNG bytes)\npub static IMAGES: &[(&str, &str, u32, u32, &[u8])] = &[\n");
    for (tag, step, w, h, path) in found {
        writeln!(
            out,
            "    ({tag:?}, {step:?}, {w}, {h}, include_bytes!({:?})),",
            path.display().to_string()
        )
        .unwrap();
    }
    out.push_str("];\n");
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap()).join("guide_images.rs");
    std::fs::write(dest, out).unwrap();
}

/// The commit the build comes from, for `provider-portal --version`:
/// `PORTAL_COMMIT` if set (a build outside git), else git's short hash, else
/// `unknown`. Rebuilt when HEAD moves (only files that exist are watched:
/// a missing one would rerun this script on every build).
fn commit() {
    println!("cargo:rerun-if-env-changed=PORTAL_COMMIT");
    let from_git = || {
        let out = std::process::Command::new("git")
            .args(["rev-parse", "--short=12", "HEAD"])
            .output()
            .ok()?;
        let hash = String::from_utf8(out.stdout).ok()?.trim().to_string();
        (out.status.success() && !hash.is_empty()).then_some(hash)
    };
    let commit = std::env::var("PORTAL_COMMIT")
        .ok()
        .filter(|c| !c.trim().is_empty())
        .or_else(from_git)
        .unwrap_or_else(|| "unknown".into());
    println!("cargo:rustc-env=PORTAL_COMMIT={commit}");
    let git = Path::new(".git");
    if git.is_dir() {
        let head = git.join("HEAD");
        println!("cargo:rerun-if-changed={}", head.display());
        if let Ok(text) = std::fs::read_to_string(&head) {
            if let Some(r) = text.trim().strip_prefix("ref: ") {
                let reference = git.join(r);
                if reference.exists() {
                    println!("cargo:rerun-if-changed={}", reference.display());
                }
            }
        }
        if git.join("packed-refs").exists() {
            println!("cargo:rerun-if-changed=.git/packed-refs");
        }
    }
}
