//! Actors: recognising who acts in a sentence and normalising the name.
//!
//! Two sources, both data: `gazetteer/actors.tsv` (named groups and forces,
//! contributors extend it), and generic forms built from the demonyms and the
//! country layer: "Azerbaijani troops" -> `Military Forces of Azerbaijan`,
//! "Ukrainian civilians" -> `Civilians (Ukraine)`.

use std::ops::Range;

use crate::gazetteer::{normalize, FastMap, Gazetteer};
use crate::places::{note_first_word, word_spans, FirstWord, NormText, WordSpans};

/// The bundled actors dictionary.
pub const BUNDLED_ACTORS: &str = include_str!("../gazetteer/actors.tsv");

/// What sort of actor a mention names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActorKind {
    /// State military forces.
    Military,
    /// Police forces.
    Police,
    /// Civilians.
    Civilians,
    /// A named group from the dictionary.
    Group,
}

/// One actor mention.
#[derive(Debug, Clone, PartialEq)]
pub struct ActorMention {
    /// Byte range in the text searched.
    pub start: usize,
    pub end: usize,
    /// Normalised actor name.
    pub actor: String,
    pub kind: ActorKind,
    /// The country whose side the actor is on (ISO2), if known.
    pub side: String,
}

/// A problem in an actors file: `path:line: message`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}:{line}: {message}")]
pub struct ActorsError {
    pub path: String,
    pub line: usize,
    pub message: String,
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    /// Index in [`Actors::names`] of the actor's name and of its side.
    actor: u32,
    kind: ActorKind,
    side: u32,
}

/// A phrase table entry: a whole phrase (its entry), the first words of a
/// longer one, or both.
#[derive(Debug, Clone, Copy)]
struct Node {
    /// Index in `entries`, or [`Node::NONE`].
    entry: u32,
    /// Some longer phrase starts with these words.
    prefix: bool,
}

impl Node {
    const NONE: u32 = u32::MAX;
}

/// Builds the phrase table: phrases with their entries, and each distinct
/// actor name or side stored once.
#[derive(Default)]
struct Builder {
    phrases: FastMap<String, u32>,
    entries: Vec<Entry>,
    names: Vec<String>,
    name_ids: FastMap<String, u32>,
}

impl Builder {
    fn name(&mut self, s: &str) -> u32 {
        if let Some(&i) = self.name_ids.get(s) {
            return i;
        }
        let i = self.names.len() as u32;
        self.names.push(s.to_string());
        self.name_ids.insert(s.to_string(), i);
        i
    }

    fn entry(&mut self, actor: &str, kind: ActorKind, side: &str) -> Entry {
        Entry {
            actor: self.name(actor),
            kind,
            side: self.name(side),
        }
    }

    /// Add a phrase (normalized); an existing one keeps its entry unless `replace`.
    fn add(&mut self, phrase: String, entry: Entry, replace: bool) {
        match self.phrases.get(&phrase) {
            Some(&i) if replace => self.entries[i as usize] = entry,
            Some(_) => {}
            None => {
                self.phrases.insert(phrase, self.entries.len() as u32);
                self.entries.push(entry);
            }
        }
    }
}

/// `normalize(a + " " + b)` from `normalize(a)` and `normalize(b)`:
/// normalization folds each character on its own and runs of separators
/// into one space, so the parts join with one space (unless one is empty).
fn join_normalized(a: &str, b: &str) -> String {
    match (a.is_empty(), b.is_empty()) {
        (true, _) => b.to_string(),
        (_, true) => a.to_string(),
        _ => {
            let mut s = String::with_capacity(a.len() + 1 + b.len());
            s.push_str(a);
            s.push(' ');
            s.push_str(b);
            s
        }
    }
}

/// The actors dictionary, indexed for matching whole words of normalized
/// text: at each word that starts some phrase, the longest phrase starting
/// there wins (leftmost-longest).
pub struct Actors {
    /// Normalized phrase, or the first words of one -> what it is.
    phrases: FastMap<String, Node>,
    /// First words of phrases (a small table most words fail in).
    first: FastMap<String, FirstWord>,
    entries: Vec<Entry>,
    /// Actor names and sides ([`Entry`] indices).
    names: Vec<String>,
}

const CIVILIAN_NOUNS: &[&str] = &[
    "civilians",
    "civilian",
    "villagers",
    "residents",
    "farmers",
    "farmer",
    "shepherd",
    "shepherds",
    "children",
    "women",
    "citizens",
    "civilian population",
];
const POLICE_NOUNS: &[&str] = &["police", "police officers", "policemen", "riot police"];

impl Actors {
    /// Build from the actors files (bundled first, then user files) and the gazetteer.
    pub fn new(g: &Gazetteer, files: &[(&str, &str)]) -> (Actors, Vec<ActorsError>) {
        let mut b = Builder::default();
        let mut problems = Vec::new();
        // Generic forms from demonyms.
        for (_, d) in g.demonyms() {
            if d.country.is_empty() || d.kind != "adjective" {
                continue;
            }
            let Some(country) = g.country(&d.country) else {
                continue;
            };
            let cname = &country.name;
            for (nouns, kind, actor) in [
                (
                    crate::vocab::words("military-nouns"),
                    ActorKind::Military,
                    format!("Military Forces of {cname}"),
                ),
                (
                    CIVILIAN_NOUNS,
                    ActorKind::Civilians,
                    format!("Civilians ({cname})"),
                ),
                (
                    POLICE_NOUNS,
                    ActorKind::Police,
                    format!("Police Forces of {cname}"),
                ),
            ] {
                let entry = b.entry(&actor, kind, &d.country);
                let word = normalize(&d.word);
                for n in nouns {
                    b.add(join_normalized(&word, &normalize(n)), entry, false);
                }
            }
        }
        // "forces of Azerbaijan", "Azerbaijan's army": by country name.
        const COUNTRY_NOUNS: [&str; 5] = ["forces", "armed forces", "troops", "army", "military"];
        let nouns_of = COUNTRY_NOUNS.map(|noun| normalize(&format!("{noun} of")));
        let nouns = COUNTRY_NOUNS.map(normalize);
        for p in g
            .places
            .iter()
            .filter(|p| p.kind == crate::gazetteer::PlaceKind::Country)
        {
            let actor = format!("Military Forces of {}", p.name);
            let entry = b.entry(&actor, ActorKind::Military, &p.country);
            for n in std::iter::once(&p.name).chain(p.names.iter()) {
                // "{noun} of {n}" and "{n}'s {noun}".
                let name = normalize(n);
                let mut owner = n.clone();
                owner.push_str("'s");
                let owner = normalize(&owner);
                for (of, noun) in nouns_of.iter().zip(&nouns) {
                    b.add(join_normalized(of, &name), entry, false);
                    b.add(join_normalized(&owner, noun), entry, false);
                }
            }
        }
        for (path, contents) in files {
            for (i, line) in contents.lines().enumerate() {
                let (phrase, actor, side) = match crate::gazetteer::actor_row(line) {
                    Ok(Some(row)) => row,
                    Ok(None) => continue,
                    Err(message) => {
                        problems.push(ActorsError {
                            path: path.to_string(),
                            line: i + 1,
                            message,
                        });
                        continue;
                    }
                };
                let actor = actor.to_string();
                let kind = if actor.starts_with("Civilians") {
                    ActorKind::Civilians
                } else if actor.starts_with("Military Forces") {
                    ActorKind::Military
                } else {
                    ActorKind::Group
                };
                let entry = b.entry(&actor, kind, side);
                b.add(normalize(phrase), entry, true);
            }
        }
        let mut first: FastMap<String, FirstWord> = FastMap::default();
        let mut phrases: FastMap<String, Node> = FastMap::default();
        phrases.reserve(b.phrases.len());
        for (k, e) in b.phrases {
            note_first_word(&mut first, &k);
            // Every proper prefix of whole words is marked for the
            // word-by-word walk in `phrases_in`.
            for (_, end) in WordSpans::new(&k, 0, k.len()) {
                if end == k.len() {
                    break;
                }
                match phrases.get_mut(&k[..end]) {
                    Some(n) => n.prefix = true,
                    None => {
                        phrases.insert(
                            k[..end].to_string(),
                            Node {
                                entry: Node::NONE,
                                prefix: true,
                            },
                        );
                    }
                }
            }
            match phrases.get_mut(k.as_str()) {
                Some(n) => n.entry = e,
                None => {
                    phrases.insert(
                        k,
                        Node {
                            entry: e,
                            prefix: false,
                        },
                    );
                }
            }
        }
        (
            Actors {
                phrases,
                first,
                entries: b.entries,
                names: b.names,
            },
            problems,
        )
    }

    /// Actor mentions in `text`, in order.
    pub fn find(&self, text: &str) -> Vec<ActorMention> {
        self.find_in(text, &NormText::new(text), 0..text.len())
    }

    /// Actor mentions in `text[range]`, with offsets into `text`, given
    /// `norm`, the normalized `text`: the same as [`Actors::find`] on
    /// `text[range]` (offsets shifted), without normalizing it again.
    pub fn find_in(&self, text: &str, norm: &NormText, range: Range<usize>) -> Vec<ActorMention> {
        let nr = norm.normalized_range(range);
        let raw = self.phrase_matches(&norm.text, nr.clone());
        self.mentions(text, norm, nr, raw.into_iter())
    }

    /// Phrases in `nt[range]` (read as a text of its own): at each word that
    /// starts some phrase, the longest phrase of whole words starting there;
    /// the search goes on after it. (entry, start, end) in `nt`.
    fn phrase_matches(&self, nt: &str, range: Range<usize>) -> Vec<(u32, usize, usize)> {
        self.phrases_in(nt, &word_spans(nt, range.start, range.end))
    }

    /// [`Actors::phrase_matches`] given the words of the range.
    fn phrases_in(&self, nt: &str, words: &[(usize, usize)]) -> Vec<(u32, usize, usize)> {
        let mut out = Vec::new();
        let mut wi = 0;
        while wi < words.len() {
            let (a, a_end) = words[wi];
            if !self.first.contains_key(&nt[a..a_end]) {
                wi += 1;
                continue;
            }
            // Walk word by word while the words so far start some phrase;
            // the longest whole phrase seen wins.
            let mut found = None;
            for (wj, &(_, e)) in words.iter().enumerate().skip(wi) {
                let Some(node) = self.phrases.get(&nt[a..e]) else {
                    break;
                };
                if node.entry != Node::NONE {
                    found = Some((wj, node.entry, e));
                }
                if !node.prefix {
                    break;
                }
            }
            match found {
                Some((wj, p, e)) => {
                    out.push((p, a, e));
                    wi = wj + 1;
                }
                None => wi += 1,
            }
        }
        out
    }

    /// The phrases of the whole of `norm`, for [`Actors::find_scanned`]: an
    /// article is searched once, and each of its sentences reads its
    /// mentions from the result.
    pub fn scan(&self, norm: &NormText) -> Scan {
        Scan {
            raw: self.phrases_in(&norm.text, norm.words()),
        }
    }

    /// [`Actors::find_in`], read from `scan` (of the same `norm`). The
    /// article-wide matches inside the range are the range's own unless one
    /// runs across its start or end ("the Armenian. Forces of ...") or the
    /// range cuts a word; then the range is searched on its own.
    pub fn find_scanned(
        &self,
        text: &str,
        norm: &NormText,
        scan: &Scan,
        range: Range<usize>,
    ) -> Vec<ActorMention> {
        let nr = norm.normalized_range(range.clone());
        // Matches are in order and do not overlap: the first ending after
        // the range's start is the only one that can cross it.
        let first = scan.raw.partition_point(|m| m.2 <= nr.start);
        let end = nr.end;
        let inside = scan.raw[first..].iter().take_while(move |m| m.1 < end);
        let crosses = |&(_, a, b): &(u32, usize, usize)| {
            (a < nr.start && nr.start < b) || (a < nr.end && nr.end < b)
        };
        let nb = norm.text.as_bytes();
        let cuts_word =
            |i: usize| i > 0 && i < nb.len() && is_word_byte(nb[i - 1]) && is_word_byte(nb[i]);
        if inside.clone().any(crosses) || cuts_word(nr.start) || cuts_word(nr.end) {
            return self.find_in(text, norm, range);
        }
        self.mentions(text, norm, nr, inside.copied())
    }

    /// Mentions from phrase matches `(entry, start, end)` in `norm.text`
    /// that lie inside `nr`, the range searched: a match must begin and end
    /// at word boundaries of the range.
    fn mentions(
        &self,
        text: &str,
        norm: &NormText,
        nr: Range<usize>,
        raw: impl Iterator<Item = (u32, usize, usize)>,
    ) -> Vec<ActorMention> {
        let hay = &norm.text[..nr.end];
        let mut out = Vec::new();
        for (pattern, a, b) in raw {
            let before_ok = a == nr.start
                || hay[..a]
                    .chars()
                    .next_back()
                    .is_none_or(|c| !c.is_alphanumeric());
            let after_ok = hay[b..].chars().next().is_none_or(|c| !c.is_alphanumeric());
            if !before_ok || !after_ok {
                continue;
            }
            let (os, oe) = norm.original(a, b);
            let e = &self.entries[pattern as usize];
            // Acronyms must be written in capitals ("SAF", not "saf").
            let orig = &text[os..oe];
            if orig.len() <= 4 && orig.chars().any(char::is_lowercase) && e.kind == ActorKind::Group
            {
                continue;
            }
            out.push(ActorMention {
                start: os,
                end: oe,
                actor: self.names[e.actor as usize].clone(),
                kind: e.kind,
                side: self.names[e.side as usize].clone(),
            });
        }
        out
    }
}

/// Whether the byte may belong to a word: an ASCII letter or digit, or part
/// of a non-ASCII character (which may be a letter).
fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b >= 0x80
}

/// An article's actor matches, from [`Actors::scan`].
pub struct Scan {
    /// (entry, start, end) in the normalized text, in order.
    raw: Vec<(u32, usize, usize)>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gazetteer::SourceFile;

    fn actors() -> Actors {
        let places = "id\tname\tkind\tcountry\tadmin1\tlat\tlon\tpopulation\tnames\tsource\n\
            country-am\tArmenia\tcountry\tAM\t\t40.2\t45.0\t\t\tt\n\
            country-az\tAzerbaijan\tcountry\tAZ\t\t40.3\t47.7\t\t\tt\n";
        let dem = "word\tcountry\tkind\nAzerbaijani\tAZ\tadjective\nArmenian\tAM\tadjective\n";
        let (g, _) = Gazetteer::from_sources(&[
            SourceFile {
                path: "places/t.tsv",
                contents: places,
            },
            SourceFile {
                path: "demonyms.tsv",
                contents: dem,
            },
        ]);
        let (a, p) = Actors::new(&g, &[("actors.tsv", BUNDLED_ACTORS)]);
        assert!(p.is_empty(), "{p:?}");
        a
    }

    #[test]
    fn recognises_generic_and_named_actors() {
        let a = actors();
        let cases = [
            (
                "Armenian forces opened fire",
                vec!["Military Forces of Armenia"],
            ),
            (
                "two Azerbaijani soldiers were killed",
                vec!["Military Forces of Azerbaijan"],
            ),
            (
                "against Azerbaijan's military forces",
                vec!["Military Forces of Azerbaijan"],
            ),
            (
                "a zone policed by Russian peacekeepers",
                vec!["Russian peacekeeping contingent"],
            ),
            (
                "members of illegal Armenian armed groups attempted",
                vec!["Nagorno-Karabakh Defense Army"],
            ),
            ("Armenian civilians fled", vec!["Civilians (Armenia)"]),
            ("the RSF said; the rsf", vec!["Rapid Support Forces"]),
        ];
        for (text, want) in cases {
            let got: Vec<String> = a.find(text).into_iter().map(|m| m.actor).collect();
            assert_eq!(got, want, "{text}");
        }
    }

    /// Searching a sentence inside the article's normalized text, or reading
    /// it from the article's scan, finds what searching the sentence on its
    /// own finds, at the same places, also where a phrase would run across
    /// the sentence boundary.
    #[test]
    fn find_in_a_range_equals_find_on_the_slice() {
        let a = actors();
        let text = "Clashes with the Armenian. Forces of Azerbaijan's military forces \
                    fired.  \"Russian peacekeepers\" said the RSF -- Armenian civilians fled.\n\
                    Azerbaijani soldiers";
        let norm = NormText::new(text);
        let scan = a.scan(&norm);
        let bounds: Vec<usize> = text
            .char_indices()
            .map(|(i, _)| i)
            .chain([text.len()])
            .collect();
        for (k, &s) in bounds.iter().enumerate() {
            for &e in bounds[k..].iter().step_by(3) {
                let want: Vec<(usize, usize, String)> = a
                    .find(&text[s..e])
                    .into_iter()
                    .map(|m| (m.start + s, m.end + s, m.actor))
                    .collect();
                let got: Vec<(usize, usize, String)> = a
                    .find_in(text, &norm, s..e)
                    .into_iter()
                    .map(|m| (m.start, m.end, m.actor))
                    .collect();
                assert_eq!(got, want, "{:?}", &text[s..e]);
                let scanned: Vec<(usize, usize, String)> = a
                    .find_scanned(text, &norm, &scan, s..e)
                    .into_iter()
                    .map(|m| (m.start, m.end, m.actor))
                    .collect();
                assert_eq!(scanned, want, "scanned {:?}", &text[s..e]);
            }
        }
    }

    /// Joining normalized parts gives what normalizing the joined text gives.
    #[test]
    fn joined_parts_normalize_like_the_whole() {
        let parts = [
            "Azerbaijani",
            "Côte d'Ivoire's",
            "São Toméan",
            "  spaced - out  ",
            "armed forces",
            "forces of",
            "'",
            "",
            "Ստեփանակերտ",
            "x-",
            "-y",
        ];
        for a in parts {
            for b in parts {
                assert_eq!(
                    join_normalized(&normalize(a), &normalize(b)),
                    normalize(&format!("{a} {b}")),
                    "{a:?} + {b:?}"
                );
            }
        }
    }

    #[test]
    fn malformed_rows_are_reported_with_line() {
        let (g, _) = Gazetteer::from_sources(&[]);
        let (_, p) = Actors::new(
            &g,
            &[("mine/actors.tsv", "phrase\tactor\tside\nno tabs here\n")],
        );
        assert_eq!(p.len(), 1);
        assert!(
            p[0].to_string().starts_with("mine/actors.tsv:2: "),
            "{}",
            p[0]
        );
    }
}
