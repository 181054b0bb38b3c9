//! `extract --jsonl`: JSON-lines in, GeoJSON text sequences out.

use std::io::Write;
use std::process::{Command, Stdio};

use serde_json::Value;

fn stream(input: &str, extra: &[&str]) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_eventmap"))
        .args(["extract", "--jsonl", "-"])
        .args(extra)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let o = child.wait_with_output().unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8(o.stdout).unwrap(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

fn article(id: &str, text: &str, published: &str) -> String {
    serde_json::json!({"id": id, "text": text, "published": published, "publisher": "Wire"})
        .to_string()
}

const GAZA: &str = "An Israeli airstrike on a house in Rafah killed 12 people, the Gaza health ministry said on Wednesday.";
const GANJA: &str = "Armenian forces fired rockets at the Azerbaijani city of Ganja on Sunday, killing nine civilians.";

#[test]
fn streams_rfc8142_features_in_input_order() {
    let input = format!(
        "{}\n{}\n",
        article("b", GAZA, "2024-05-08"),
        article("a", GANJA, "2020-10-12")
    );
    let (code, out, err) = stream(&input, &[]);
    assert_eq!(code, 0, "{err}");
    let texts: Vec<&str> = out.split('\u{1e}').filter(|t| !t.is_empty()).collect();
    assert!(texts.len() >= 2, "{out}");
    let feats: Vec<Value> = texts
        .iter()
        .map(|t| serde_json::from_str(t.trim_end()).unwrap())
        .collect();
    assert_eq!(feats[0]["properties"]["source_file"], "b");
    assert_eq!(feats[0]["properties"]["location"], "Rafah");
    assert_eq!(feats.last().unwrap()["properties"]["source_file"], "a");
    assert!(err.contains("2 articles read"), "{err}");
}

#[test]
fn malformed_lines_are_reported_and_skipped() {
    let input = format!(
        "{}\nnot json at all\n\n{{\"id\": \"x\"}}\n{}\n",
        article("one", GAZA, "2024-05-08"),
        article("two", GANJA, "2020-10-12")
    );
    let (code, out, err) = stream(&input, &["--format", "geojsonl"]);
    assert_eq!(code, 1, "malformed lines make the exit code non-zero");
    assert!(err.contains("stdin:2: "), "{err}");
    assert!(err.contains("stdin:4: "), "{err}");
    let files: Vec<String> = out
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["properties"]["source_file"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert!(
        files.contains(&"one".to_string()) && files.contains(&"two".to_string()),
        "{files:?}"
    );
}

#[test]
fn output_does_not_depend_on_thread_count() {
    let mut input = String::new();
    for i in 0..300 {
        let (t, d) = if i % 2 == 0 {
            (GAZA, "2024-05-08")
        } else {
            (GANJA, "2020-10-12")
        };
        input.push_str(&article(&format!("n{i}"), t, d));
        input.push('\n');
    }
    let (c1, one, _) = stream(&input, &["--threads", "1"]);
    let (c2, two, _) = stream(&input, &["--threads", "2"]);
    assert_eq!((c1, c2), (0, 0));
    assert!(!one.is_empty());
    assert_eq!(one, two);
}
