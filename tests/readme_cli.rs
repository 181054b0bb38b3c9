//! The README shows what the main command prints: its sample summary line
//! is the one `eventmap extract seeds` writes.

use std::process::Command;

#[test]
fn readme_summary_line_is_what_extract_seeds_prints() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_eventmap"))
        .current_dir(root)
        .args(["extract", "seeds", "--no-map", "--out-dir"])
        .arg(out.path())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let printed = String::from_utf8(o.stdout).unwrap();
    let printed = printed
        .lines()
        .last()
        .unwrap()
        .replace(&out.path().display().to_string(), "output");
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let shown = readme
        .lines()
        .find(|l| l.starts_with("eventmap: 4 articles read"))
        .expect("the README shows the summary line");
    assert_eq!(shown, printed);
}
