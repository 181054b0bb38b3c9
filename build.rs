//! Embeds the bundled gazetteer (`gazetteer/**/*.tsv`, `*.geojson`) in the
//! binary, and a snapshot of it built here with the loader's own code, so
//! that start-up decodes the snapshot instead of parsing 6 MB of text.
//!
//! The parsing modules are included from `src/gazetteer/` (they use only
//! `std`, `geo`, `serde_json` and `unicode-normalization`, the
//! build-dependencies), so the snapshot is exactly what
//! `Gazetteer::from_sources(&bundled_sources())` builds at run time; a test
//! checks that. Cargo reruns this script when the data, those modules or
//! `Cargo.lock` change, so the snapshot is never stale.
//!
//! `gazetteer/boundaries/` is left out: only `gazetteer check` uses it, and
//! it embeds the file itself.
#![allow(dead_code, unused_imports)]

#[path = "src/gazetteer/first.rs"]
mod first;
#[path = "src/gazetteer/layers.rs"]
mod layers;
#[path = "src/gazetteer/names.rs"]
mod names;
#[path = "src/gazetteer/normalize.rs"]
mod normalize;
#[path = "src/gazetteer/parse.rs"]
mod parse;
#[path = "src/gazetteer/snapshot.rs"]
mod snapshot;
#[path = "src/gazetteer/types.rs"]
mod types;

use normalize::normalize;
use types::*;

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// What `first::is_alphanumeric` reads: here made from
/// `char::is_alphanumeric` (the table the crate embeds, see `main`).
fn alphanumeric_table() -> &'static [u64] {
    static T: OnceLock<Vec<u64>> = OnceLock::new();
    T.get_or_init(first::alphanumeric_bmp)
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = fs::read_dir(dir) else { return };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            // Boundaries are read by `gazetteer check` only; the lexicon
            // is embedded on its own (`bundled_lexicon.rs`).
            if p.file_name()
                .is_some_and(|n| n == "boundaries" || n == "lexicon")
            {
                continue;
            }
            collect(&p, out);
        } else if matches!(
            p.extension().and_then(|x| x.to_str()),
            Some("tsv" | "geojson")
        ) {
            out.push(p);
        }
    }
}

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").unwrap());
    let gaz = root.join("gazetteer");
    println!("cargo:rerun-if-changed=gazetteer");
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=Cargo.lock");
    write_lexicon(&gaz.join("lexicon"), &out_dir);
    let mut files = Vec::new();
    collect(&gaz, &mut files);
    files.sort();
    let mut f = fs::File::create(out_dir.join("bundled_gazetteer.rs")).unwrap();
    writeln!(f, "pub static FILES: &[(&str, &str)] = &[").unwrap();
    let mut sources: Vec<(String, String)> = Vec::new();
    for p in &files {
        println!("cargo:rerun-if-changed={}", p.display());
        let rel = p
            .strip_prefix(&gaz)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let rel = format!("gazetteer/{rel}");
        writeln!(
            f,
            "    ({rel:?}, include_str!({:?})),",
            p.display().to_string()
        )
        .unwrap();
        let text =
            fs::read_to_string(p).unwrap_or_else(|e| panic!("cannot read {}: {e}", p.display()));
        sources.push((rel, text));
    }
    writeln!(f, "];").unwrap();

    // `char::is_alphanumeric` of the Basic Multilingual Plane, for
    // splitting names and text into words without building it at run time.
    writeln!(f, "pub static ALPHANUMERIC_BMP: [u64; 1024] = [").unwrap();
    for w in alphanumeric_table() {
        writeln!(f, "    {w:#x},").unwrap();
    }
    writeln!(f, "];").unwrap();

    // The snapshot of the bundled data, as the loader builds it.
    let files: Vec<SourceFile<'_>> = sources
        .iter()
        .map(|(p, c)| SourceFile {
            path: p,
            contents: c,
        })
        .collect();
    let (built, problems) = layers::build_layers(&[&files]);
    let flags = snapshot::WITH_KEYS | snapshot::EXTERNAL_TEXT;
    let snap = snapshot::encode(&built, &problems, flags)
        .unwrap_or_else(|e| panic!("cannot snapshot the bundled gazetteer: {e:?}"));
    let write = |name: &str, bytes: &[u8]| {
        let p = out_dir.join(name);
        fs::write(&p, bytes).unwrap();
        p.display().to_string()
    };
    let path = write("bundled_gazetteer.snapshot", &snap.bytes);
    writeln!(f, "pub static SNAPSHOT: &[u8] = include_bytes!({path:?});").unwrap();
    let path = write("bundled_gazetteer.strings", snap.strings.as_bytes());
    writeln!(
        f,
        "pub static SNAPSHOT_STRINGS: &str = include_str!({path:?});"
    )
    .unwrap();
    let path = write("bundled_gazetteer.names", snap.names.as_bytes());
    writeln!(
        f,
        "pub static SNAPSHOT_NAMES: &str = include_str!({path:?});"
    )
    .unwrap();
    // The first-word table, read in place by the binary.
    let (first_words, first_table) = built.first.parts();
    let path = write("bundled_gazetteer.first_words", first_words.as_bytes());
    writeln!(f, "pub static FIRST_WORDS: &str = include_str!({path:?});").unwrap();
    let path = write("bundled_gazetteer.first_table", first_table);
    writeln!(
        f,
        "pub static FIRST_WORD_TABLE: &[u8] = include_bytes!({path:?});"
    )
    .unwrap();
    let mut all = snap.bytes.clone();
    all.extend_from_slice(snap.strings.as_bytes());
    all.extend_from_slice(snap.names.as_bytes());
    all.extend_from_slice(first_words.as_bytes());
    all.extend_from_slice(first_table);
    writeln!(
        f,
        "pub const SNAPSHOT_HASH: u64 = {:#x};",
        names::hash(&all)
    )
    .unwrap();

    // What else decides how a user directory is parsed: the code of the
    // gazetteer module and the dependency versions. Part of cache keys.
    let mut code = Vec::new();
    let mut modules: Vec<PathBuf> = fs::read_dir(root.join("src/gazetteer"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    modules.sort();
    modules.push(root.join("Cargo.lock"));
    println!("cargo:rerun-if-changed=src/gazetteer");
    for p in &modules {
        println!("cargo:rerun-if-changed={}", p.display());
        let name = p.file_name().unwrap_or_default().to_string_lossy();
        code.extend_from_slice(name.as_bytes());
        code.extend_from_slice(&fs::read(p).unwrap_or_default());
    }
    writeln!(f, "pub const CODE_HASH: u64 = {:#x};", names::hash(&code)).unwrap();
}

/// `bundled_lexicon.rs`: the lexicon files (`gazetteer/lexicon/<lang>/*.tsv`)
/// as (path, contents), sorted by path; `src/vocab.rs` parses them.
fn write_lexicon(dir: &Path, out_dir: &Path) {
    let mut files = Vec::new();
    if let Ok(langs) = fs::read_dir(dir) {
        for lang in langs.flatten().map(|e| e.path()).filter(|p| p.is_dir()) {
            for e in fs::read_dir(&lang).into_iter().flatten().flatten() {
                let p = e.path();
                if p.extension().is_some_and(|x| x == "tsv") {
                    files.push(p);
                }
            }
        }
    }
    files.sort();
    let mut f = fs::File::create(out_dir.join("bundled_lexicon.rs")).unwrap();
    writeln!(f, "pub static FILES: &[(&str, &str)] = &[").unwrap();
    for p in &files {
        println!("cargo:rerun-if-changed={}", p.display());
        let rel = p.strip_prefix(dir.parent().unwrap()).unwrap();
        let rel = format!("gazetteer/{}", rel.to_string_lossy().replace('\\', "/"));
        writeln!(
            f,
            "    ({rel:?}, include_str!({:?})),",
            p.display().to_string()
        )
        .unwrap();
    }
    writeln!(f, "];").unwrap();
}
