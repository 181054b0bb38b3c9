//! Name normalization shared by the gazetteer index and the text matcher.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Fold a name for matching: lowercase, strip diacritics, fold letters that
/// decomposition leaves alone (ə -> a, ı -> i, ß -> ss, ø -> o, ł -> l ...),
/// turn hyphens, dashes, slashes and runs of white space into one space, and
/// drop apostrophes and quote marks. Scripts other than Latin are kept
/// (lowercased), so Ստեփանակերտ and Степанакерт match themselves.
pub fn normalize(s: &str) -> String {
    if s.is_ascii() {
        normalize_ascii(s)
    } else {
        normalize_general(s)
    }
}

/// [`normalize`] for any input.
fn normalize_general(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for c in s.nfkd() {
        if is_combining_mark(c) {
            continue;
        }
        if let Some(folded) = fold_char(c) {
            match folded {
                Folded::Space => pending_space = !out.is_empty(),
                Folded::Drop => {}
                Folded::Str(t) => {
                    if pending_space {
                        out.push(' ');
                        pending_space = false;
                    }
                    out.push_str(t);
                }
            }
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        for l in c.to_lowercase() {
            out.push(l);
        }
    }
    out
}

/// [`normalize`] for pure ASCII input: same result, no decomposition.
fn normalize_ascii(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for &b in s.as_bytes() {
        match b {
            b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c | b'-' | b'/' | b'_' => {
                pending_space = !out.is_empty();
            }
            b'\'' | b'`' | b'"' | b'.' => {}
            _ => {
                if pending_space {
                    out.push(' ');
                    pending_space = false;
                }
                out.push(b.to_ascii_lowercase() as char);
            }
        }
    }
    out
}

/// Append the normalized form of one already-decomposed, non-combining
/// character to `out`. Returns true when the character is a separator
/// (white space, hyphen, dash, slash), which callers fold into one space.
/// The text matcher uses this to normalize article text exactly like names.
pub fn normalize_char(c: char, out: &mut String) -> bool {
    match fold_char(c) {
        Some(Folded::Space) => true,
        Some(Folded::Drop) => false,
        Some(Folded::Str(t)) => {
            out.push_str(t);
            false
        }
        None => {
            for l in c.to_lowercase() {
                out.push(l);
            }
            false
        }
    }
}

/// What one character becomes in a normalized name.
pub(crate) enum Folded {
    Space,
    Drop,
    Str(&'static str),
}

/// Special folds; `None` means "lowercase it".
pub(crate) fn fold_char(c: char) -> Option<Folded> {
    Some(match c {
        c if c.is_whitespace() => Folded::Space,
        '-' | '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2212}' | '/'
        | '_' => Folded::Space,
        '\'' | '\u{2018}' | '\u{2019}' | '\u{02BC}' | '\u{02BB}' | '`' | '"' | '\u{201C}'
        | '\u{201D}' | '.' => Folded::Drop,
        'ə' | 'Ə' => Folded::Str("a"),
        'ı' | 'İ' => Folded::Str("i"),
        'ß' => Folded::Str("ss"),
        'ø' | 'Ø' => Folded::Str("o"),
        'æ' | 'Æ' => Folded::Str("ae"),
        'œ' | 'Œ' => Folded::Str("oe"),
        'ł' | 'Ł' => Folded::Str("l"),
        'đ' | 'Đ' => Folded::Str("d"),
        'ħ' | 'Ħ' => Folded::Str("h"),
        'þ' | 'Þ' => Folded::Str("th"),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::normalize;

    #[test]
    fn folds_case_diacritics_and_punctuation() {
        let cases = [
            ("Xankəndi", "xankandi"),
            ("Şuşa", "susa"),
            ("Laçın", "lacin"),
            ("Nagorno-Karabakh", "nagorno karabakh"),
            ("Nagorno  Karabakh", "nagorno karabakh"),
            ("Ağdam", "agdam"),
            ("Ստեփանակերտ", "ստեփանակերտ"),
            ("Степанакерт", "степанакерт"),
            ("Kəlbəcər", "kalbacar"),
            ("Washington, D.C.", "washington, dc"),
            ("Cote d'Ivoire", "cote divoire"),
            ("  Baku ", "baku"),
        ];
        for (input, want) in cases {
            assert_eq!(normalize(input), want, "normalize({input:?})");
        }
    }

    /// The ASCII fast path must agree with the general path on every ASCII input.
    #[test]
    fn ascii_fast_path_matches_general_path() {
        let mut inputs: Vec<String> = (0u8..128).map(|b| format!("a{}b", b as char)).collect();
        inputs.extend(
            [
                " -Foo--Bar- ",
                "Washington, D.C.",
                "a\t\tb\r\n",
                "x_y/z",
                "O'Neil \"Q\"",
                "`..`",
                "\u{0b}lead",
                "",
            ]
            .iter()
            .map(|s| s.to_string()),
        );
        for s in &inputs {
            assert!(s.is_ascii());
            assert_eq!(
                super::normalize_ascii(s),
                super::normalize_general(s),
                "input {s:?}"
            );
        }
    }
}
