//! File mode in bounded memory: output sorted through temporary runs
//! (`--sort-buffer`) is byte for byte the output sorted in memory, for every
//! format, geometry mode and thread count; unreadable articles are reported
//! and the rest is written.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Every article the repository has: seeds, fixtures, evaluation articles.
fn corpus() -> Vec<PathBuf> {
    [
        "seeds",
        "tests/fixtures/articles",
        "tests/fixtures/eval/articles",
    ]
    .iter()
    .map(|d| root().join(d))
    .collect()
}

struct Run {
    code: i32,
    stdout: Vec<u8>,
    stderr: String,
    /// File name -> bytes of everything in the output directory.
    files: BTreeMap<String, Vec<u8>>,
}

fn run(inputs: &[PathBuf], args: &[&str], out: &Path, tmp: &Path) -> Run {
    let o = Command::new(env!("CARGO_BIN_EXE_eventmap"))
        .arg("extract")
        .args(inputs)
        .args(args)
        .arg("--out-dir")
        .arg(out)
        .env("TMPDIR", tmp)
        .output()
        .expect("run eventmap");
    let mut files = BTreeMap::new();
    if let Ok(rd) = std::fs::read_dir(out) {
        for e in rd {
            let e = e.unwrap();
            let name = e.file_name().to_string_lossy().into_owned();
            files.insert(name, std::fs::read(e.path()).unwrap());
        }
    }
    Run {
        code: o.status.code().unwrap_or(-1),
        stdout: o.stdout,
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        files,
    }
}

fn features(geojson: &[u8]) -> usize {
    let v: serde_json::Value = serde_json::from_slice(geojson).expect("valid GeoJSON");
    assert_eq!(v["type"], "FeatureCollection");
    v["features"].as_array().expect("features").len()
}

fn csv_rows(csv: &[u8]) -> usize {
    let csv = csv.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(csv);
    let mut r = csv::Reader::from_reader(csv);
    r.records()
        .inspect(|rec| assert!(rec.is_ok(), "invalid CSV row: {rec:?}"))
        .count()
}

#[test]
fn spilled_output_is_byte_identical_for_every_format_and_thread_count() {
    let inputs = corpus();
    let all = "geojson,geojsonseq,geojsonl,csv";
    let cases: [&[&str]; 6] = [
        &["--format", all],
        &["--format", all, "--geometry", "native", "--excel"],
        &["-o", "-"],
        &["--stdout", "--format", "geojson", "--geometry", "native"],
        &["--stdout", "--format", "csv", "--excel"],
        &["--stdout", "--format", "geojsonl"],
    ];
    for case in cases {
        let d = tempfile::tempdir().unwrap();
        let tmp = d.path().join("tmp");
        std::fs::create_dir(&tmp).unwrap();
        let mut base_args = case.to_vec();
        base_args.extend(["--quiet", "--threads", "2"]);
        let reference = run(&inputs, &base_args, &d.path().join("ref"), &tmp);
        assert_eq!(reference.code, 0, "{case:?}: {}", reference.stderr);
        // The reference is not empty, so equality below says something.
        if let Some(gj) = reference.files.get("incidents.geojson") {
            assert!(features(gj) > 50, "{case:?}");
            assert_eq!(csv_rows(&reference.files["incidents.csv"]), features(gj));
        } else {
            assert!(reference.files.is_empty(), "stdout mode writes no files");
            assert!(reference.stdout.len() > 10_000, "{case:?}");
        }
        // A sort buffer of 0 spills every article's records as a run (and
        // merges runs 32 at a time); 1K spills every few articles.
        for (buffer, threads) in [("0", "1"), ("1K", "2")] {
            let mut args = case.to_vec();
            args.extend(["--quiet", "--threads", threads, "--sort-buffer", buffer]);
            let out = d.path().join(format!("out-{buffer}-{threads}"));
            let r = run(&inputs, &args, &out, &tmp);
            assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
            assert!(
                r.files == reference.files,
                "{args:?}: files differ from the in-memory run"
            );
            assert!(r.stdout == reference.stdout, "{args:?}: stdout differs");
        }
        let left: Vec<_> = std::fs::read_dir(&tmp).unwrap().collect();
        assert!(left.is_empty(), "temporary files left in TMPDIR: {left:?}");
    }
}

#[test]
fn unreadable_articles_mid_corpus_are_reported_and_the_rest_written() {
    let d = tempfile::tempdir().unwrap();
    let clean = d.path().join("clean");
    let dirty = d.path().join("dirty");
    for dir in [&clean, &dirty] {
        std::fs::create_dir(dir).unwrap();
        for e in std::fs::read_dir(root().join("tests/fixtures/articles")).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "txt") {
                std::fs::copy(&p, dir.join(p.file_name().unwrap())).unwrap();
            }
        }
        std::fs::write(
            dir.join("index.csv"),
            "file,publisher,published\nairstrike_gaza.txt,Wire,2024-05-08\nghost.txt,Wire,2024-05-08\n",
        )
        .unwrap();
    }
    // Sorted among the good articles: "m..." falls between them.
    std::fs::write(dirty.join("m_latin1.txt"), b"Xank\xe4ndi was shelled.").unwrap();
    #[cfg(target_os = "linux")]
    std::os::unix::fs::symlink("/proc/self/mem", dirty.join("n_unreadable.txt")).unwrap();
    let tmp = d.path().join("tmp");
    std::fs::create_dir(&tmp).unwrap();
    let args = ["--format", "geojson,csv", "--sort-buffer", "0"];
    let good = run(&[clean], &args, &d.path().join("out-clean"), &tmp);
    let bad = run(&[dirty], &args, &d.path().join("out-dirty"), &tmp);
    assert_eq!(good.code, 1, "the ghost row is an error: {}", good.stderr);
    assert_eq!(bad.code, 1, "{}", bad.stderr);
    let errors: Vec<&str> = bad.stderr.lines().collect();
    let mut expect = vec!["m_latin1.txt: not valid UTF-8"];
    if cfg!(target_os = "linux") {
        expect.push("n_unreadable.txt: cannot read article");
    }
    expect.push("manifest names \"ghost.txt\"");
    assert_eq!(errors.len(), expect.len(), "{}", bad.stderr);
    for (line, want) in errors.iter().zip(&expect) {
        assert!(line.contains(want), "{line:?} should say {want:?}");
    }
    // The other articles are all written, as without the bad files.
    assert!(features(&bad.files["incidents.geojson"]) > 5);
    assert!(bad.files == good.files, "outputs differ from the clean run");
    // The same count of articles read.
    let summary = String::from_utf8(bad.stdout).unwrap();
    let clean_summary = String::from_utf8(good.stdout).unwrap();
    assert!(
        summary.starts_with("eventmap: 6 articles read, "),
        "{summary}"
    );
    assert_eq!(summary, clean_summary.replace("out-clean", "out-dirty"));
}

#[test]
fn bad_sort_buffer_is_a_usage_error() {
    let o = Command::new(env!("CARGO_BIN_EXE_eventmap"))
        .args(["extract", "seeds", "--sort-buffer", "lots"])
        .current_dir(root())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("\"lots\"") && err.contains("64M"), "{err}");
}
