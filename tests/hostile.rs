//! Hostile input, end to end: the real binary run as a careless or hostile
//! user would (issue 16). Each test asserts the exit code, the message and
//! that earlier output survives where it must. Inputs are made in temporary
//! directories by the tests themselves.
//!
//! `EVENTMAP_TEST_BIN=/path/to/other/eventmap cargo test --test hostile`
//! runs the same cases against another build (e.g. one from before the
//! fixes, to see each case fail there).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn seeds() -> PathBuf {
    root().join("seeds")
}

fn bin() -> Command {
    let path = std::env::var_os("EVENTMAP_TEST_BIN")
        .unwrap_or_else(|| env!("CARGO_BIN_EXE_eventmap").into());
    Command::new(path)
}

fn eventmap(args: &[&str]) -> Output {
    bin()
        .current_dir(root())
        .args(args)
        .env("EVENTMAP_NO_CACHE", "1")
        .output()
        .expect("run eventmap")
}

fn s(p: &Path) -> &str {
    p.to_str().expect("UTF-8 temporary path")
}

fn code(o: &Output) -> i32 {
    o.status.code().unwrap_or(-1)
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Every file of a directory (not recursive) with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().unwrap().is_file())
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// `extract seeds` into `out`, which must succeed; returns its files.
fn seed_output(out: &Path) -> BTreeMap<String, Vec<u8>> {
    let o = eventmap(&["extract", s(&seeds()), "--out-dir", s(out), "--quiet"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let files = snapshot(out);
    assert!(files.len() >= 6, "{:?}", files.keys());
    files
}

/// An article whose incidents the extractor finds (from the seeds).
fn an_article() -> String {
    std::fs::read_to_string(seeds().join("001_405a79c29a6589a7.txt")).unwrap()
}

// Case 6: a run that read no article leaves the earlier output alone.

#[test]
fn a_mistyped_input_path_leaves_earlier_output_alone() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("out");
    let before = seed_output(&out);
    let o = eventmap(&["extract", "/no/such/articles", "--out-dir", s(&out)]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    let err = stderr(&o);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("eventmap: ") && err.contains("/no/such/articles"),
        "{err}"
    );
    assert!(err.contains("no such file"), "{err}");
    assert_eq!(snapshot(&out), before, "the earlier output was touched");
}

#[test]
fn a_run_whose_articles_all_fail_leaves_earlier_output_alone() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("out");
    let before = seed_output(&out);
    let empty = d.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let o = eventmap(&["extract", s(&empty), "--out-dir", s(&out)]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(stderr(&o).contains("no .txt articles"), "{}", stderr(&o));
    assert_eq!(snapshot(&out), before);

    let bad = d.path().join("bad");
    std::fs::create_dir(&bad).unwrap();
    std::fs::write(bad.join("latin1.txt"), b"Xank\xe4ndi was shelled.").unwrap();
    let o = eventmap(&["extract", s(&bad), "--out-dir", s(&out)]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("latin1.txt"), "{err}");
    assert!(
        err.lines().last().unwrap().contains("left as it was"),
        "{err}"
    );
    assert_eq!(snapshot(&out), before);
}

// Case 7: the output files are replaced as a set or not at all.

#[test]
fn a_file_that_cannot_be_replaced_leaves_every_earlier_file() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("out");
    let mut before = seed_output(&out);
    // The last file of the set cannot be replaced: it is now a directory.
    std::fs::remove_file(out.join("statements.csvt")).unwrap();
    std::fs::create_dir(out.join("statements.csvt")).unwrap();
    std::fs::write(out.join("statements.csvt").join("keep"), b"x").unwrap();
    before.remove("statements.csvt");
    let inp = d.path().join("in");
    std::fs::create_dir(&inp).unwrap();
    std::fs::write(inp.join("other.txt"), an_article()).unwrap();
    let o = eventmap(&["extract", s(&inp), "--out-dir", s(&out)]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(stderr(&o).contains("statements.csvt"), "{}", stderr(&o));
    assert_eq!(snapshot(&out), before, "a mix of two runs was left");
    let hidden: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(hidden.is_empty(), "{hidden:?}");
}

// Case 1: a gazetteer file with bytes that are not UTF-8.

const PLACES_HEADER: &str =
    "id\tname\tkind\tcountry\tadmin1\tlat\tlon\tpopulation\tnames\tsource\n";

/// An invented village, the row of a user's `places/*.tsv`.
const VILLAGE_ROW: &str = "ua-zorivka-test\tZorivka\tvillage\tUA\tKharkiv Oblast\t49.9\t36.9\t320\tZorivka village\ttest fixture (invented village)\n";

/// A folder with one article about the invented village.
fn village_article(d: &Path) -> PathBuf {
    let art = d.join("in");
    std::fs::create_dir_all(&art).unwrap();
    std::fs::write(
        art.join("a.txt"),
        "Russian forces shelled the village of Zorivka on Monday, killing two civilians, the regional governor said.",
    )
    .unwrap();
    std::fs::write(art.join("index.csv"), "file,published\na.txt,2024-03-06\n").unwrap();
    art
}

fn features(out: &Path, layer: &str) -> Vec<serde_json::Value> {
    let text = std::fs::read_to_string(out.join(format!("{layer}.geojson"))).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    v["features"].as_array().unwrap().clone()
}

#[test]
fn gazetteer_bytes_that_are_not_utf8_skip_the_row_not_the_run() {
    let d = tempfile::tempdir().unwrap();
    let gz = d.path().join("gz");
    std::fs::create_dir_all(gz.join("places")).unwrap();
    std::fs::create_dir_all(gz.join("features")).unwrap();
    let mut tsv = format!("{PLACES_HEADER}{VILLAGE_ROW}").into_bytes();
    tsv.extend_from_slice(b"ua-bad-test\tXank\xe4ndi\tvillage\tUA\t\t49.8\t36.8\t\t\ttest\n");
    std::fs::write(gz.join("places/villages.tsv"), tsv).unwrap();
    let mut geo = br#"{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"id":"ua-field-test","name":"Pol"#
        .to_vec();
    geo.extend_from_slice(b"\xe9");
    geo.extend_from_slice(br#"","kind":"region","country":"UA","admin1":"","population":null,"names":[],"source":"test"},"geometry":{"type":"Point","coordinates":[36.5,49.5]}}
]}"#);
    std::fs::write(gz.join("features/fields.geojson"), geo).unwrap();
    std::fs::write(
        gz.join("actors.tsv"),
        b"phrase\tactor\tside\nZorivka m\xefli\xeftia\tZorivka Militia\tUA\n",
    )
    .unwrap();
    let art = village_article(d.path());
    let out = d.path().join("out");
    let o = eventmap(&[
        "extract",
        s(&art),
        "--gazetteer",
        s(&gz),
        "--out-dir",
        s(&out),
    ]);
    let err = stderr(&o);
    assert_eq!(code(&o), 1, "{err}");
    for at in [
        "villages.tsv:3: not UTF-8",
        "fields.geojson:2: ",
        "actors.tsv:2: not UTF-8",
    ] {
        assert!(err.contains(at), "no {at:?} in {err}");
    }
    let inc = features(&out, "incidents");
    assert_eq!(inc.len(), 1, "{inc:?}");
    assert_eq!(inc[0]["properties"]["gazetteer_id"], "ua-zorivka-test");

    let o = eventmap(&["gazetteer", "check", s(&gz)]);
    let text = String::from_utf8_lossy(&o.stdout).into_owned();
    assert_eq!(code(&o), 1, "{text}{}", stderr(&o));
    assert!(text.contains("villages.tsv:3: not UTF-8"), "{text}");
}

/// Run eventmap, killing it and failing the test after `secs` seconds.
fn eventmap_within(secs: u64, args: &[&str]) -> Output {
    let child = bin()
        .current_dir(root())
        .args(args)
        .env("EVENTMAP_NO_CACHE", "1")
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run eventmap");
    let id = child.id();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    match rx.recv_timeout(std::time::Duration::from_secs(secs)) {
        Ok(o) => o.expect("wait for eventmap"),
        Err(_) => {
            let _ = Command::new("kill").arg("-9").arg(id.to_string()).status();
            panic!("eventmap {args:?} still running after {secs} s");
        }
    }
}

#[cfg(unix)]
fn mkfifo(p: &Path) {
    let ok = Command::new("mkfifo").arg(p).status();
    assert!(ok.is_ok_and(|s| s.success()), "mkfifo {p:?}");
}

// Case 2: links and odd files in a --gazetteer folder.

#[cfg(unix)]
#[test]
fn gazetteer_links_back_and_fifos_neither_hang_nor_repeat() {
    use std::os::unix::fs::symlink;
    let d = tempfile::tempdir().unwrap();
    let gz = d.path().join("gz");
    let places = gz.join("places");
    std::fs::create_dir_all(&places).unwrap();
    std::fs::write(
        places.join("v.tsv"),
        format!("{PLACES_HEADER}{VILLAGE_ROW}"),
    )
    .unwrap();
    symlink("..", places.join("u1")).unwrap();
    symlink("..", places.join("u2")).unwrap();
    symlink(".", places.join("self")).unwrap();
    mkfifo(&places.join("pipe.tsv"));
    // An earlier run's output inside the folder is not gazetteer data.
    seed_output(&gz.join("output"));
    let art = village_article(d.path());
    let out = d.path().join("out");
    let o = eventmap_within(
        60,
        &[
            "extract",
            s(&art),
            "--gazetteer",
            s(&gz),
            "--out-dir",
            s(&out),
        ],
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let inc = features(&out, "incidents");
    assert_eq!(inc.len(), 1);
    assert_eq!(inc[0]["properties"]["gazetteer_id"], "ua-zorivka-test");

    let o = eventmap_within(60, &["gazetteer", "check", s(&gz)]);
    let text = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(!text.contains("output"), "{text}");
    assert!(!text.contains("duplicate"), "{text}");
}

#[cfg(target_os = "linux")]
#[test]
fn gazetteer_dev_ends() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("out");
    let o = eventmap_within(
        60,
        &[
            "extract",
            s(&seeds()),
            "--gazetteer",
            "/dev",
            "--out-dir",
            s(&out),
        ],
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let o = eventmap_within(60, &["gazetteer", "check", "/dev"]);
    assert!(o.status.code().is_some());
}

// Case 8: one article cannot cost unbounded memory or time.

#[test]
fn an_oversized_article_is_cut_at_the_limit_and_the_rest_reported() {
    let d = tempfile::tempdir().unwrap();
    let inp = d.path().join("in");
    std::fs::create_dir(&inp).unwrap();
    // The seed article, then 6 MiB of periods on its last line.
    let mut text = an_article();
    text.push_str(&".".repeat(6 << 20));
    std::fs::write(inp.join("huge.txt"), &text).unwrap();
    std::fs::write(inp.join("small.txt"), an_article()).unwrap();
    let out = d.path().join("out");
    let start = std::time::Instant::now();
    let o = eventmap_within(300, &["extract", s(&inp), "--out-dir", s(&out)]);
    let err = stderr(&o);
    assert_eq!(code(&o), 1, "{err}");
    assert!(
        err.lines().any(|l| l.contains("huge.txt")
            && l.contains("over the limit of 1 MiB per article")
            && l.contains("6 MiB")),
        "{err}"
    );
    let inc = features(&out, "incidents");
    let files: Vec<&str> = inc
        .iter()
        .map(|f| f["properties"]["source_file"].as_str().unwrap())
        .collect();
    assert!(
        files.contains(&"huge.txt") && files.contains(&"small.txt"),
        "{files:?}"
    );
    eprintln!("oversized article: {:?}", start.elapsed());

    // The same article as one --jsonl line.
    let line = serde_json::json!({"id": "huge", "text": text}).to_string();
    let jsonl = d.path().join("a.jsonl");
    std::fs::write(&jsonl, format!("{line}\n")).unwrap();
    let o = eventmap_within(300, &["extract", "--jsonl", s(&jsonl)]);
    let err = stderr(&o);
    assert_eq!(code(&o), 1, "{err}");
    assert!(err.contains("over the limit of 1 MiB per article"), "{err}");
    assert!(String::from_utf8_lossy(&o.stdout).contains("\"huge#1\""));
}

// Case 10: links, FIFOs and devices among the inputs are reported.

#[cfg(unix)]
#[test]
fn odd_entries_in_an_input_folder_are_reported() {
    use std::os::unix::fs::symlink;
    let d = tempfile::tempdir().unwrap();
    let inp = d.path().join("in");
    std::fs::create_dir(&inp).unwrap();
    std::fs::write(inp.join("good.txt"), an_article()).unwrap();
    symlink("loop2.txt", inp.join("loop1.txt")).unwrap();
    symlink("loop1.txt", inp.join("loop2.txt")).unwrap();
    symlink("gone.txt", inp.join("dangling.txt")).unwrap();
    mkfifo(&inp.join("pipe.txt"));
    let out = d.path().join("out");
    let o = eventmap_within(60, &["extract", s(&inp), "--out-dir", s(&out)]);
    let err = stderr(&o);
    assert_eq!(code(&o), 1, "{err}");
    for name in ["loop1.txt", "loop2.txt", "dangling.txt"] {
        assert!(
            err.lines()
                .any(|l| l.contains(name) && l.contains("symbolic link")),
            "{name}: {err}"
        );
    }
    assert!(
        err.lines()
            .any(|l| l.contains("pipe.txt") && l.contains("not a regular file")),
        "{err}"
    );
    assert!(!features(&out, "incidents").is_empty());
}

#[cfg(unix)]
#[test]
fn a_fifo_given_as_an_article_is_refused_not_waited_on() {
    let d = tempfile::tempdir().unwrap();
    let fifo = d.path().join("articles.txt");
    mkfifo(&fifo);
    let out = d.path().join("out");
    let o = eventmap_within(60, &["extract", s(&fifo), "--out-dir", s(&out)]);
    let err = stderr(&o);
    assert_eq!(code(&o), 2, "{err}");
    assert!(
        err.contains("not a regular file") && err.contains("--jsonl"),
        "{err}"
    );
    assert!(!out.join("incidents.geojson").exists());
}

// Case 14: no gazetteer at all is an error, not an empty map.

#[test]
fn no_bundled_gazetteer_and_none_given_is_an_error() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("out");
    let before = seed_output(&out);
    let o = eventmap(&[
        "extract",
        s(&seeds()),
        "--no-bundled-gazetteer",
        "--out-dir",
        s(&out),
    ]);
    let err = stderr(&o);
    assert_eq!(code(&o), 2, "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("--no-bundled-gazetteer") && err.contains("--gazetteer DIR"),
        "{err}"
    );
    assert_eq!(snapshot(&out), before);
}

// Case 4: record ids are unique.

fn ids(feats: &[serde_json::Value]) -> Vec<String> {
    feats
        .iter()
        .map(|f| f["properties"]["id"].as_str().unwrap().to_string())
        .collect()
}

fn assert_unique(ids: &[String]) {
    let mut sorted = ids.to_vec();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), ids.len(), "duplicate ids: {ids:?}");
}

#[test]
fn jsonl_ids_with_dots_are_kept_whole() {
    let d = tempfile::tempdir().unwrap();
    let text = an_article();
    let lines: Vec<String> = ["feed.1", "feed.2", "https://example.org/a.html", ".x"]
        .iter()
        .map(|id| serde_json::json!({"id": id, "text": text}).to_string())
        .collect();
    let jsonl = d.path().join("a.jsonl");
    std::fs::write(&jsonl, lines.join("\n")).unwrap();
    let o = eventmap(&["extract", "--jsonl", s(&jsonl), "--format", "geojsonl"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let feats: Vec<serde_json::Value> = String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let ids = ids(&feats);
    assert_unique(&ids);
    for prefix in ["feed.1#", "feed.2#", "https://example.org/a.html#", ".x#"] {
        assert!(
            ids.iter().any(|i| i.starts_with(prefix)),
            "{prefix}: {ids:?}"
        );
    }
}

#[test]
fn one_file_name_in_two_folders_gives_two_sets_of_ids() {
    let d = tempfile::tempdir().unwrap();
    let (a, b) = (d.path().join("a"), d.path().join("b"));
    for dir in [&a, &b] {
        std::fs::create_dir(dir).unwrap();
        std::fs::write(dir.join("x.txt"), an_article()).unwrap();
    }
    let out = d.path().join("out");
    let o = eventmap(&["extract", s(&a), s(&b), "--out-dir", s(&out)]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let inc = features(&out, "incidents");
    let ids = ids(&inc);
    assert_unique(&ids);
    let files: std::collections::BTreeSet<&str> = inc
        .iter()
        .map(|f| f["properties"]["source_file"].as_str().unwrap())
        .collect();
    assert_eq!(files.len(), 2, "{files:?}");
    // Argument order does not change the output.
    let out2 = d.path().join("out2");
    let o = eventmap(&["extract", s(&b), s(&a), "--out-dir", s(&out2)]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(snapshot(&out), snapshot(&out2));
    // A folder given twice, or with a file in it, is read once.
    let once = d.path().join("once");
    let o = eventmap(&["extract", s(&a), "--out-dir", s(&once)]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let twice = d.path().join("twice");
    let again = a.join(".");
    let o = eventmap(&[
        "extract",
        s(&a),
        s(&again),
        s(&a.join("x.txt")),
        "--out-dir",
        s(&twice),
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(snapshot(&once), snapshot(&twice));
}

// Case 3: staged files do not outlive their run.

/// The hidden files of a directory (staged or moved-aside output).
fn hidden(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    v.sort();
    v
}

#[cfg(target_os = "linux")]
#[test]
fn staged_files_of_dead_runs_are_removed_by_the_next_run() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("out");
    std::fs::create_dir(&out).unwrap();
    // No process has a pid this large (Linux: at most 2^22).
    for name in [
        ".incidents.geojson.999999999-Xa9k2B.tmp",
        ".statements.csv.999999999-Yb8j3C.tmp",
        ".notes.txt.999999999-a.tmp",
    ] {
        std::fs::write(out.join(name), b"half a file").unwrap();
    }
    // A file moved aside by a run killed mid-swap is put back.
    std::fs::write(out.join(".incidents.csvt.999999999-old.tmp"), b"old csvt").unwrap();
    let o = eventmap(&[
        "extract",
        s(&seeds()),
        "--out-dir",
        s(&out),
        "--format",
        "geojson",
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(hidden(&out), [".notes.txt.999999999-a.tmp"]);
    assert_eq!(
        std::fs::read(out.join("incidents.csvt")).unwrap(),
        b"old csvt"
    );
}

#[cfg(unix)]
#[test]
fn a_signal_while_writing_leaves_no_staged_file() {
    let d = tempfile::tempdir().unwrap();
    let inp = d.path().join("in");
    std::fs::create_dir(&inp).unwrap();
    let text = an_article();
    for i in 0..1500 {
        std::fs::write(inp.join(format!("{i:04}.txt")), &text).unwrap();
    }
    for (signal, status) in [("-TERM", 143), ("-INT", 130)] {
        let out = d.path().join(format!("out{signal}"));
        let mut child = bin()
            .args(["extract", s(&inp), "--out-dir", s(&out), "--quiet"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let start = std::time::Instant::now();
        let mut sent = false;
        while start.elapsed() < std::time::Duration::from_secs(120) {
            if child.try_wait().unwrap().is_some() {
                break;
            }
            if out.is_dir() && hidden(&out).iter().any(|n| n.ends_with(".tmp")) {
                let pid = child.id().to_string();
                assert!(Command::new("kill")
                    .args([signal, &pid])
                    .status()
                    .unwrap()
                    .success());
                sent = true;
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
        let st = child.wait().unwrap();
        assert!(sent, "the run ended before its files were staged");
        assert_eq!(st.code(), Some(status), "{st:?}");
        assert_eq!(hidden(&out), Vec::<String>::new());
    }
}

// Case 11: manifest rows that would be lost or overridden silently.

#[test]
fn an_unclosed_quote_and_a_repeated_row_in_the_manifest_are_reported() {
    let d = tempfile::tempdir().unwrap();
    let inp = d.path().join("in");
    std::fs::create_dir(&inp).unwrap();
    for n in ["a.txt", "b.txt", "c.txt"] {
        std::fs::write(inp.join(n), an_article()).unwrap();
    }
    std::fs::write(
        inp.join("index.csv"),
        "file,publisher,published\n\
         c.txt,Wire,2023-03-05\n\
         c.txt,Wire,2023-04-01\n\
         a.txt,\"Wire,2023-03-05\n\
         b.txt,Wire,2023-03-06\n",
    )
    .unwrap();
    let out = d.path().join("out");
    let o = eventmap(&["extract", s(&inp), "--out-dir", s(&out)]);
    let err = stderr(&o);
    assert_eq!(code(&o), 1, "{err}");
    assert!(
        err.lines()
            .any(|l| l.contains("index.csv:4: a quote opened in this row is never closed")),
        "{err}"
    );
    assert!(
        err.lines()
            .any(|l| l.contains("index.csv:3: a second row for \"c.txt\" (the first is line 2)")),
        "{err}"
    );
}

// Case 13: --jsonl input as other tools write it.

#[test]
fn jsonl_with_a_bom_a_loose_date_and_a_file_name() {
    let d = tempfile::tempdir().unwrap();
    let text = an_article();
    let lines = [
        serde_json::json!({"id": "a", "text": text, "published": "2023-03-06"}).to_string(),
        serde_json::json!({"id": "b", "text": text, "published": "March 6, 2023"}).to_string(),
        "not json".to_string(),
    ];
    let jsonl = d.path().join("feed.jsonl");
    std::fs::write(&jsonl, format!("\u{feff}{}\n", lines.join("\n"))).unwrap();
    let o = eventmap(&["extract", "--jsonl", s(&jsonl), "--format", "geojsonl"]);
    let err = stderr(&o);
    assert_eq!(code(&o), 1, "{err}");
    let at = |n: usize| format!("{}:{n}: ", jsonl.display());
    assert!(!err.contains(&at(1)) && !err.contains("stdin:"), "{err}");
    assert!(
        err.lines()
            .any(|l| l.contains(&at(2)) && l.contains("\"March 6, 2023\" is not YYYY-MM-DD")),
        "{err}"
    );
    assert!(err.lines().any(|l| l.contains(&at(3))), "{err}");
    let files: std::collections::BTreeSet<String> = String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .map(|f| f["properties"]["source_file"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(files, ["a", "b"].map(String::from).into());
}

// Case 9: a thread count past the machine's cores.

#[test]
fn threads_past_the_cores_are_capped_with_a_warning() {
    let d = tempfile::tempdir().unwrap();
    let one = d.path().join("one");
    let o = eventmap(&[
        "extract",
        s(&seeds()),
        "--out-dir",
        s(&one),
        "--threads",
        "1",
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let many = d.path().join("many");
    let o = eventmap_within(
        60,
        &[
            "extract",
            s(&seeds()),
            "--out-dir",
            s(&many),
            "--threads",
            "100000",
        ],
    );
    let err = stderr(&o);
    assert_eq!(code(&o), 0, "{err}");
    assert!(
        err.contains("--threads 100000 is more than the") && err.contains("using"),
        "{err}"
    );
    assert_eq!(snapshot(&one), snapshot(&many));
}

// Case 12: what `extract` rejects, `check` rejects; control characters
// reach neither the CSV nor the terminal.

#[test]
fn check_rejects_the_display_name_and_actor_rows_extract_rejects() {
    let d = tempfile::tempdir().unwrap();
    let gz = d.path().join("gz");
    std::fs::create_dir_all(gz.join("places")).unwrap();
    let mut tsv = format!("{PLACES_HEADER}{VILLAGE_ROW}");
    tsv.push_str("ua-esc-test\tZo\u{1b}[31mrivka\tvillage\tUA\t\t49.8\t36.8\t\t\ttest\n");
    tsv.push_str("ua-nul-test\tNul\u{0}town\tvillage\tUA\t\t49.7\t36.7\t\t\ttest\n");
    std::fs::write(gz.join("places/v.tsv"), tsv).unwrap();
    std::fs::write(
        gz.join("display-names.tsv"),
        "place_id\tconvention\tname\nua-zorivka-test\tlocal\tZorivka Local\nua-no-such\tlocal\tNowhere\nua-zorivka-test\tlocal\n",
    )
    .unwrap();
    std::fs::write(
        gz.join("actors.tsv"),
        "phrase\tactor\tside\nZorivka militia\tZorivka Militia\tUA\nonly one column\nbell\u{7}\tBell Group\t\n",
    )
    .unwrap();
    let o = eventmap(&["gazetteer", "check", s(&gz)]);
    let text = String::from_utf8_lossy(&o.stdout).into_owned();
    assert_eq!(code(&o), 1, "{text}");
    for at in [
        "v.tsv:3: holds the control character U+001B",
        "v.tsv:4: holds the control character U+0000",
        "display-names.tsv:3: no place has id \"ua-no-such\"",
        "display-names.tsv:4: expected 3 tab-separated columns",
        "actors.tsv:3: expected 'phrase<TAB>actor<TAB>side'",
        "actors.tsv:4: holds the control character U+0007",
    ] {
        assert!(text.contains(at), "no {at:?} in {text}");
    }
    // extract skips the same rows, and the CSV holds no control character.
    let art = village_article(d.path());
    let out = d.path().join("out");
    let o = eventmap(&[
        "extract",
        s(&art),
        "--gazetteer",
        s(&gz),
        "--names",
        "local",
        "--out-dir",
        s(&out),
    ]);
    let err = stderr(&o);
    assert_eq!(code(&o), 1, "{err}");
    for at in [
        "v.tsv:3:",
        "v.tsv:4:",
        "display-names.tsv:3:",
        "actors.tsv:3:",
        "actors.tsv:4:",
    ] {
        assert!(err.contains(at), "no {at:?} in {err}");
    }
    let csv = std::fs::read_to_string(out.join("incidents.csv")).unwrap();
    assert!(csv.contains("Zorivka Local"), "{csv}");
    assert!(!csv.chars().any(|c| c.is_control() && c != '\n'), "{csv:?}");
}

#[cfg(unix)]
#[test]
fn file_names_with_control_characters_are_escaped_in_messages() {
    let d = tempfile::tempdir().unwrap();
    let inp = d.path().join("in");
    std::fs::create_dir(&inp).unwrap();
    std::fs::write(inp.join("good.txt"), an_article()).unwrap();
    std::fs::write(inp.join("red\u{1b}[31m\nline.txt"), b"Xank\xe4ndi").unwrap();
    let out = d.path().join("out");
    let o = eventmap(&["extract", s(&inp), "--out-dir", s(&out), "--quiet"]);
    let err = stderr(&o);
    assert_eq!(code(&o), 1, "{err}");
    assert!(!err.contains('\u{1b}'), "{err:?}");
    assert_eq!(err.lines().count(), 1, "{err:?}");
    assert!(err.contains("red\\u{1b}[31m\\nline.txt"), "{err:?}");
}

// Case 5: what `check` calls an invalid geometry, `extract` does not load.

#[test]
fn a_self_intersecting_polygon_is_not_loaded() {
    let d = tempfile::tempdir().unwrap();
    let gz = d.path().join("gz");
    std::fs::create_dir_all(gz.join("features")).unwrap();
    let feature = |id: &str, name: &str, ring: &str| {
        format!(
            r#"{{"type":"Feature","properties":{{"id":"{id}","name":"{name}","kind":"region","country":"UA","admin1":"","population":null,"names":[],"source":"test"}},"geometry":{{"type":"Polygon","coordinates":[{ring}]}}}}"#
        )
    };
    // A bow tie: its ring crosses itself.
    let bowtie = feature(
        "ua-bowtie-test",
        "Bowtie Steppe",
        "[[36.0,49.0],[37.0,50.0],[37.0,49.0],[36.0,50.0],[36.0,49.0]]",
    );
    let square = feature(
        "ua-square-test",
        "Square Steppe",
        "[[36.0,49.0],[37.0,49.0],[37.0,50.0],[36.0,50.0],[36.0,49.0]]",
    );
    std::fs::write(
        gz.join("features/steppes.geojson"),
        format!("{{\"type\":\"FeatureCollection\",\"features\":[\n{bowtie},\n{square}\n]}}\n"),
    )
    .unwrap();
    let o = eventmap(&["gazetteer", "check", s(&gz)]);
    let text = String::from_utf8_lossy(&o.stdout).into_owned();
    assert_eq!(code(&o), 1, "{text}");
    assert!(
        text.contains("steppes.geojson:2: ") && text.contains("invalid polygon"),
        "{text}"
    );
    let lookup = |name: &str| {
        let o = eventmap(&["gazetteer", "lookup", name, "--gazetteer", s(&gz)]);
        (
            code(&o),
            String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr(&o),
        )
    };
    let (_, found, err) = lookup("Bowtie Steppe");
    assert!(!found.contains("ua-bowtie-test"), "{found}");
    assert!(
        err.contains("steppes.geojson:2: ") && err.contains("invalid polygon"),
        "{err}"
    );
    let (c, found, _) = lookup("Square Steppe");
    assert_eq!(c, 0);
    assert!(found.contains("ua-square-test"), "{found}");
}

// A manifest that never ends is refused, not copied to disk.

#[cfg(unix)]
#[test]
fn a_device_as_manifest_is_refused() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("out");
    let o = eventmap_within(
        60,
        &[
            "extract",
            s(&seeds()),
            "--manifest",
            "/dev/zero",
            "--out-dir",
            s(&out),
        ],
    );
    let err = stderr(&o);
    assert_eq!(code(&o), 1, "{err}");
    assert!(
        err.contains("/dev/zero") && err.contains("not a file or a pipe"),
        "{err}"
    );
    assert!(!features(&out, "incidents").is_empty());
}
