//! The progress bar: on stderr for runs of 256 articles or more when stderr
//! is a terminal; never when it is not, never with `--quiet`, never for
//! short runs. A terminal is given by util-linux `script` (a pty), which
//! every Linux CI image has.

use std::path::Path;
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_eventmap");

/// `n` short articles in `dir/articles`, and the same as `dir/articles.jsonl`.
fn corpus(dir: &Path, n: usize) {
    let arts = dir.join("articles");
    std::fs::create_dir_all(&arts).unwrap();
    let mut jsonl = String::new();
    for i in 0..n {
        let text = format!(
            "Shelling hit Ganja on Sunday, killing {} civilians.",
            i % 9 + 2
        );
        std::fs::write(arts.join(format!("{i:04}.txt")), &text).unwrap();
        jsonl.push_str(&serde_json::json!({"id": format!("a{i}"), "text": text}).to_string());
        jsonl.push('\n');
    }
    std::fs::write(dir.join("articles.jsonl"), jsonl).unwrap();
}

/// Single-quoted for `sh`.
fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// Run eventmap with `args` with stdout and stderr on a terminal; what the
/// terminal showed.
#[cfg(target_os = "linux")]
fn on_terminal(args: &[&str]) -> String {
    let cmd: Vec<String> = std::iter::once(BIN)
        .chain(args.iter().copied())
        .map(quote)
        .collect();
    let out = Command::new("script")
        .args(["-qec", &cmd.join(" "), "/dev/null"])
        .output()
        .expect("util-linux `script` runs the command on a pseudo-terminal");
    assert!(out.status.success(), "{out:?}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Run eventmap with `args`, stdout and stderr piped; (exit code, stdout,
/// stderr).
fn piped(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(BIN).args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn is_bar(s: &str) -> bool {
    s.contains("eventmap: [") && s.contains("ETA")
}

#[test]
fn no_bar_when_stderr_is_not_a_terminal() {
    let d = tempfile::tempdir().unwrap();
    corpus(d.path(), 300);
    let out = d.path().join("out");
    let (code, summary, err) = piped(&[
        "extract",
        d.path().join("articles").to_str().unwrap(),
        "--out-dir",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(
        !is_bar(&err) && !err.contains('\r') && !err.contains('\u{1b}'),
        "{err:?}"
    );
    assert!(err.is_empty(), "{err:?}");
    assert!(
        summary.contains("300 articles"),
        "the summary line stays: {summary:?}"
    );
    let (code, _, err) = piped(&[
        "extract",
        "--jsonl",
        d.path().join("articles.jsonl").to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(!is_bar(&err) && !err.contains('\u{1b}'), "{err:?}");
    assert!(
        err.contains("300 articles read"),
        "the summary line stays: {err:?}"
    );
}

#[cfg(target_os = "linux")]
#[test]
fn bar_on_a_terminal_for_long_runs_only_and_not_with_quiet() {
    let d = tempfile::tempdir().unwrap();
    corpus(d.path(), 300);
    let arts = d.path().join("articles");
    let arts = arts.to_str().unwrap();
    let out = d.path().join("out");
    let out = out.to_str().unwrap();
    let shown = on_terminal(&["extract", arts, "--out-dir", out]);
    assert!(is_bar(&shown), "file mode, 300 articles: {shown:?}");
    assert!(shown.contains("300 articles"), "{shown:?}");

    // (The features go to the terminal too.)
    let jsonl = d.path().join("articles.jsonl");
    let shown = on_terminal(&["extract", "--jsonl", jsonl.to_str().unwrap()]);
    assert!(is_bar(&shown), "--jsonl from a file: {shown:?}");

    let quiet = on_terminal(&["extract", arts, "--out-dir", out, "--quiet"]);
    assert!(!is_bar(&quiet) && !quiet.contains("articles"), "{quiet:?}");

    let small = tempfile::tempdir().unwrap();
    corpus(small.path(), 20);
    let arts = small.path().join("articles");
    let shown = on_terminal(&["extract", arts.to_str().unwrap(), "--out-dir", out]);
    assert!(!is_bar(&shown), "20 articles: {shown:?}");
    assert!(shown.contains("20 articles"), "{shown:?}");
}
