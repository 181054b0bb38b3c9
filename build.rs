//! Embeds the bundled gazetteer (`gazetteer/**/*.tsv`, `*.geojson`) in the binary.
//! `gazetteer/boundaries/` is left out: only `gazetteer check` uses it, and it
//! embeds the file itself.
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = fs::read_dir(dir) else { return };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            if p.file_name().is_some_and(|n| n == "boundaries") {
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
    let gaz = root.join("gazetteer");
    println!("cargo:rerun-if-changed=gazetteer");
    let mut files = Vec::new();
    collect(&gaz, &mut files);
    files.sort();
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("bundled_gazetteer.rs");
    let mut f = fs::File::create(out).unwrap();
    writeln!(f, "pub static FILES: &[(&str, &str)] = &[").unwrap();
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
    }
    writeln!(f, "];").unwrap();
}
