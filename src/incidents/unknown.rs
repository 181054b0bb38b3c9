//! Place names the gazetteer lacks, found by how the text introduces them
//! ("Chiragli village", "the village of Devta", "Mendhar area"): listed in
//! `explain` and counted by `extract`, so a contributor knows what to add.

use crate::gazetteer::FastSet;

use crate::places::Mention;
use crate::text::{Layout, SentenceKind};

/// Nouns that introduce a place (the vocabulary's `place-nouns`), and the
/// lowercase words that may stand between a name and its noun
/// (`place-noun-modifiers`: "Jabaliya refugee camp").
pub struct Nouns {
    set: FastSet<&'static str>,
    modifiers: FastSet<&'static str>,
    /// Nouns right before the name they introduce (`place-nouns-before`:
    /// Russian "село Талыш", "в селе Талыш").
    before: FastSet<&'static str>,
    /// The same nouns as substrings: a sentence without any has none of
    /// them as a word, so nothing to read.
    ac: aho_corasick::AhoCorasick,
}

impl Nouns {
    /// From the vocabulary in use.
    pub fn from_vocab() -> Nouns {
        let v = crate::vocab::get();
        Nouns::new(
            v.phrases("place-nouns"),
            v.phrases("place-noun-modifiers"),
            v.phrases("place-nouns-before"),
        )
    }

    fn new(
        nouns: impl IntoIterator<Item = &'static str>,
        modifiers: impl IntoIterator<Item = &'static str>,
        before: impl IntoIterator<Item = &'static str>,
    ) -> Nouns {
        let before: FastSet<&'static str> = before.into_iter().collect();
        let set: FastSet<&'static str> = nouns.into_iter().chain(before.iter().copied()).collect();
        let modifiers = modifiers.into_iter().collect();
        let build = |kind| aho_corasick::AhoCorasick::builder().kind(kind).build(&set);
        let ac = build(Some(aho_corasick::AhoCorasickKind::DFA))
            .or_else(|_| build(None))
            .expect("place nouns build an automaton");
        Nouns {
            set,
            modifiers,
            before,
            ac,
        }
    }
}

/// A word of the text with its byte range.
struct Word<'a> {
    start: usize,
    end: usize,
    text: &'a str,
}

fn words(text: &str, start: usize, end: usize) -> Vec<Word<'_>> {
    let mut out = Vec::new();
    let mut at = None;
    let b = text.as_bytes();
    let mut i = start;
    while i < end {
        // ASCII bytes directly; other characters decoded.
        let (part, len) = if b[i] < 0x80 {
            (
                b[i].is_ascii_alphanumeric() || b[i] == b'-' || b[i] == b'\'',
                1,
            )
        } else {
            let c = text[i..].chars().next().expect("a character starts here");
            (c.is_alphanumeric(), c.len_utf8())
        };
        match (part, at) {
            (true, None) => at = Some(i),
            (false, Some(s)) => {
                out.push(Word {
                    start: s,
                    end: i,
                    text: &text[s..i],
                });
                at = None;
            }
            _ => {}
        }
        i += len;
    }
    if let Some(s) = at {
        out.push(Word {
            start: s,
            end,
            text: &text[s..end],
        });
    }
    out
}

/// A modifier word ("refugee", "IDP"), compared lowercased.
fn is_modifier(w: &Word<'_>, modifiers: &FastSet<&'static str>) -> bool {
    !capitalized(w.text) && modifiers.contains(w.text.to_lowercase().as_str())
}

fn capitalized(w: &str) -> bool {
    w.starts_with(|c: char| c.is_uppercase()) && w.chars().skip(1).any(char::is_lowercase)
}

/// An unknown name and its byte range in the text.
#[derive(Debug, Clone, PartialEq)]
pub struct Unknown {
    pub start: usize,
    pub end: usize,
    pub name: String,
}

/// Unknown names in the sentence `start..end`, in text order (each once).
pub fn unknown_places(
    text: &str,
    (start, end): (usize, usize),
    mentions: &[Mention],
    nouns: &Nouns,
) -> Vec<Unknown> {
    if !nouns.ac.is_match(&text[start..end]) {
        return Vec::new();
    }
    let ws = words(text, start, end);
    let covered = |a: usize, b: usize| mentions.iter().any(|m| m.start < b && a < m.end);
    // A noun is lowercase here (capitalized words are skipped below).
    let is_noun = |w: &Word<'_>| nouns.set.contains(w.text);
    let mut out = Vec::new();
    let mut push = |run: &[Word<'_>]| {
        if run.is_empty() || covered(run[0].start, run[run.len() - 1].end) {
            return;
        }
        let (a, b) = (run[0].start, run[run.len() - 1].end);
        let name = text[a..b].to_string();
        if !out.iter().any(|u: &Unknown| u.name == name) {
            out.push(Unknown {
                start: a,
                end: b,
                name,
            });
        }
    };
    for (k, w) in ws.iter().enumerate() {
        if capitalized(w.text) || !is_noun(w) {
            continue;
        }
        // "Chiragli village", "Orta Garvand village", "Jabaliya refugee
        // camp": capitalized words before, past one modifier (not the
        // sentence's first word alone, which may be any word).
        let spaced = |x: &Word<'_>, y: &Word<'_>| text[x.end..y.start].trim().is_empty();
        let mut e = k;
        if e > 0 && spaced(&ws[e - 1], &ws[e]) && is_modifier(&ws[e - 1], &nouns.modifiers) {
            e -= 1;
        }
        let mut b = e;
        // A possessive before is the owner, not part of the name
        // ("Dagestan's Khivsky district").
        let possessive = |w: &Word<'_>| w.text.ends_with("'s");
        while b > 0
            && e - b < 3
            && capitalized(ws[b - 1].text)
            && spaced(&ws[b - 1], &ws[b])
            && !possessive(&ws[b - 1])
        {
            b -= 1;
        }
        // "In Nowgam sector": a sentence's first word that is a function
        // word is no part of the name.
        if b < e && ws[b].start == start {
            let first = ws[b].text.to_lowercase();
            if function_words().contains(first.as_str()) {
                b += 1;
            }
        }
        if b < e && !(b == 0 && e == 1 && ws[0].start == start) {
            push(&ws[b..e]);
        }
        // "the village of Devta", "the town of Mai-Kadra"; "село Талыш".
        let of = ws.get(k + 1).is_some_and(|x| x.text == "of");
        if of || nouns.before.contains(w.text) {
            let a = k + if of { 2 } else { 1 };
            let mut e = a;
            while e < ws.len()
                && e - a < 3
                && capitalized(ws[e].text)
                && (e == a || spaced(&ws[e - 1], &ws[e]))
            {
                e += 1;
            }
            push(&ws[a..e]);
        }
    }
    out
}

word_set!(function_words, "function-words");

/// Unknown names in every body sentence of the article, in text order
/// (`mentions` in text order too).
pub fn unknown_in_body(
    text: &str,
    lay: &Layout,
    mentions: &[Mention],
    nouns: &Nouns,
) -> Vec<Unknown> {
    let mut out = Vec::new();
    for s in lay
        .sentences
        .iter()
        .filter(|s| s.kind == SentenceKind::Body)
    {
        let range = super::sentence_range(mentions, s.start, s.end);
        out.extend(unknown_places(
            text,
            (s.start, s.end),
            &mentions[range],
            nouns,
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_places_table() {
        let nouns = Nouns::new(
            ["village", "villages", "town", "area", "district", "camp"],
            ["refugee", "idp", "border"],
            ["село", "селе"],
        );
        let table: &[(&str, &[&str])] = &[
            (
                "Shells hit Chiragli village of Aghdam district.",
                &["Chiragli", "Aghdam"],
            ),
            (
                "A shell landed in the village of Devta on Sunday.",
                &["Devta"],
            ),
            ("Firing went on in Mendhar area.", &["Mendhar"]),
            ("In Mendhar area, firing went on.", &["Mendhar"]),
            (
                "Shells hit a school in the Tal Amra refugee camp.",
                &["Tal Amra"],
            ),
            ("Gunmen raided the Kebbi IDP camp.", &["Kebbi"]),
            ("The refugee camp was shelled.", &[]),
            ("Обстрел в селе Нерин Таг продолжался.", &["Нерин Таг"]),
            ("Село было обстреляно.", &[]),
            ("Villages near the town were shelled.", &[]),
            ("Fire hit Barekamavan, Aygepar villages.", &["Aygepar"]),
            (
                "The village of Orta Garvand and the town of Sotk.",
                &["Orta Garvand", "Sotk"],
            ),
        ];
        for (text, want) in table {
            let got: Vec<String> = unknown_places(text, (0, text.len()), &[], &nouns)
                .into_iter()
                .map(|u| u.name)
                .collect();
            assert_eq!(got, *want, "{text:?}");
        }
    }
}
