//! Cleaning, sentence splitting, datelines (placeholder: replaced by the text work).

use super::{Layout, Sentence, SentenceKind};

/// Split an article into sentences, header lines, datelines and dropped boilerplate.
pub fn layout(text: &str, _title: Option<&str>) -> Layout {
    let mut out = Layout::default();
    let mut para = 0;
    let mut pos = 0;
    for line in text.split_inclusive('\n') {
        let line_start = pos;
        pos += line.len();
        let trimmed = line.trim_end();
        if trimmed.trim().is_empty() {
            continue;
        }
        let mut s = line_start;
        let bytes = trimmed.as_bytes();
        for (i, &b) in bytes.iter().enumerate() {
            if b == b'.' && bytes.get(i + 1) == Some(&b' ') {
                out.sentences.push(Sentence {
                    start: s,
                    end: line_start + i + 1,
                    paragraph: para,
                    kind: SentenceKind::Body,
                });
                s = line_start + i + 2;
            }
        }
        if s < line_start + trimmed.len() {
            out.sentences.push(Sentence {
                start: s,
                end: line_start + trimmed.len(),
                paragraph: para,
                kind: SentenceKind::Body,
            });
        }
        para += 1;
    }
    out
}
