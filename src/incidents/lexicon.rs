//! Word lists: event triggers (ACLED types), statement verbs, and the cues
//! that mark hypothetical, aggregate and historical passages.
//!
//! Phrases are matched on lowercased text at word boundaries; a trailing `*`
//! matches any word ending ("shell*" = shell, shells, shelled, shelling).

use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

pub use crate::taxonomy::*;

/// How much a trigger alone says that an incident happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Strength {
    /// Needs a date or a place of its own ("violence", "tensions").
    Weak,
    /// An event noun or verb ("clashes", "shelled").
    Strong,
}

/// One trigger phrase.
pub struct Trigger {
    pub phrase: &'static str,
    pub event: EventType,
    pub strength: Strength,
}

/// The trigger rows of the vocabulary (list `triggers`), in file order.
pub fn triggers() -> &'static [Trigger] {
    static T: OnceLock<Vec<Trigger>> = OnceLock::new();
    T.get_or_init(|| {
        crate::vocab::get()
            .rows("triggers")
            .iter()
            .filter_map(|r| {
                Some(Trigger {
                    phrase: r[0],
                    // Rows were checked when the vocabulary was read.
                    event: EventType::parse(r[1], r[2])?,
                    strength: if r[3] == "weak" {
                        Strength::Weak
                    } else {
                        Strength::Strong
                    },
                })
            })
            .collect()
    })
}

/// The statement verbs (list `statement-verbs`) as (phrase, kind).
pub fn statement_verbs() -> &'static [(&'static str, &'static str)] {
    static V: OnceLock<Vec<(&'static str, &'static str)>> = OnceLock::new();
    V.get_or_init(|| {
        crate::vocab::get()
            .rows("statement-verbs")
            .iter()
            .map(|r| (r[0], r[1]))
            .collect()
    })
}

/// The phrases of one list of the vocabulary.
pub fn words(list: &str) -> Vec<&'static str> {
    crate::vocab::get().phrases(list)
}

/// Whether `word` may stand between a verb of report and the day of the
/// statement (list `report-fillers`).
pub fn is_report_filler(word: &str) -> bool {
    static SET: OnceLock<std::collections::HashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| words("report-fillers").into_iter().collect())
        .contains(word)
}

/// The length of the `incident-nouns` phrase `text` opens with ("strike",
/// "air strike"), followed by a space, comma or the end; the longest.
pub fn incident_noun_len(text: &str) -> Option<usize> {
    words("incident-nouns")
        .into_iter()
        .filter(|n| {
            text.strip_prefix(n)
                .is_some_and(|r| r.is_empty() || r.starts_with([' ', ',']))
        })
        .map(str::len)
        .max()
}

/// Nouns for soldiers (list `military-victims`).
pub fn military_victims() -> &'static [&'static str] {
    static V: OnceLock<Vec<&'static str>> = OnceLock::new();
    V.get_or_init(|| words("military-victims"))
}

/// Nouns for civilians (list `civilian-victims`).
pub fn civilian_victims() -> &'static [&'static str] {
    static V: OnceLock<Vec<&'static str>> = OnceLock::new();
    V.get_or_init(|| words("civilian-victims"))
}

/// Find `phrase` (with optional trailing `*`) in lowercased `text` at word
/// boundaries, starting at byte `from`. Returns the byte range. The
/// reference that phrase sets are tested against.
#[cfg(test)]
fn find_phrase(text: &str, phrase: &str, from: usize) -> Option<(usize, usize)> {
    let (needle, prefix) = match phrase.strip_suffix('*') {
        Some(n) => (n, true),
        None => (phrase, false),
    };
    let mut start = from;
    while let Some(i) = text
        .get(start..)
        .and_then(|s| find_bytes(s.as_bytes(), needle.as_bytes()))
    {
        let a = start + i;
        if let Some(b) = word_match(text, a, a + needle.len(), prefix) {
            return Some((a, b));
        }
        start = a + needle.len().max(1);
        while !text.is_char_boundary(start) {
            start += 1;
        }
    }
    None
}

/// A fixed list of phrases ([`find_phrase`] syntax) searched in one
/// automaton pass instead of one search per phrase. Every method gives
/// exactly what the per-phrase functions give ([`find_phrase`],
/// [`find_all`], [`contains_any`]); the automaton is built on first use.
pub struct PhraseSet {
    phrases: fn() -> Vec<&'static str>,
    built: OnceLock<Built>,
    /// Its index in [`SENTENCE_SETS`], if it is one of them.
    slot: Option<u8>,
}

struct Built {
    ac: AhoCorasick,
    /// Per phrase: whether it ends in `*` (matches any word ending).
    prefix: Vec<bool>,
}

impl PhraseSet {
    /// A set over the phrases `phrases()` returns (called once, on first
    /// use), searched on its own rather than through a sentence's [`Lex`].
    #[cfg(test)]
    const fn new(phrases: fn() -> Vec<&'static str>) -> PhraseSet {
        PhraseSet {
            phrases,
            built: OnceLock::new(),
            slot: None,
        }
    }

    /// A set that is also read from a sentence's [`Lex`]: `slot` is its
    /// index in [`SENTENCE_SETS`].
    const fn sentence_set(slot: u8, phrases: fn() -> Vec<&'static str>) -> PhraseSet {
        PhraseSet {
            phrases,
            built: OnceLock::new(),
            slot: Some(slot),
        }
    }

    fn built(&self) -> &Built {
        self.built.get_or_init(|| {
            let phrases = (self.phrases)();
            let ac = AhoCorasick::builder()
                .match_kind(MatchKind::Standard)
                // Small lists searched in every sentence: the fastest kind.
                .kind(Some(AhoCorasickKind::DFA))
                .build(phrases.iter().map(|p| p.strip_suffix('*').unwrap_or(p)))
                .expect("phrase lists build an automaton");
            let prefix = phrases.iter().map(|p| p.ends_with('*')).collect();
            Built { ac, prefix }
        })
    }

    /// Calls `f(phrase index, start, end)` for each occurrence that
    /// [`find_all`] finds for that phrase, until `f` returns false.
    /// Occurrences come in order of their needle's end, not grouped by phrase.
    fn scan(&self, text: &str, mut f: impl FnMut(usize, usize, usize) -> bool) {
        let b = self.built();
        // Per phrase: where the next occurrence may start (find_all's `from`).
        let mut next = vec![0usize; b.prefix.len()];
        for m in b.ac.find_overlapping_iter(text) {
            let p = m.pattern().as_usize();
            let a = m.start();
            if a < next[p] {
                continue;
            }
            match word_match(text, a, m.end(), b.prefix[p]) {
                Some(end) => {
                    next[p] = end.max(a + 1);
                    if !f(p, a, end) {
                        return;
                    }
                }
                None => next[p] = m.end().max(a + 1),
            }
        }
    }

    /// For each phrase (same index), its first match in `text`: what
    /// [`find_phrase`]`(text, phrase, 0)` returns.
    #[cfg(test)]
    fn first_each(&self, text: &str) -> Vec<Option<(usize, usize)>> {
        let mut out = vec![None; self.built().prefix.len()];
        self.scan(text, |p, a, b| {
            out[p].get_or_insert((a, b));
            true
        });
        out
    }

    /// Whether any phrase occurs in `text` ([`contains_any`]).
    #[cfg(test)]
    fn contains(&self, text: &str) -> bool {
        let mut any = false;
        self.scan(text, |_, _, _| {
            any = true;
            false
        });
        any
    }

    /// Every match of every phrase, as (phrase index, start, end), sorted by
    /// phrase index and then start: [`find_all`] for each phrase in turn.
    #[cfg(test)]
    fn all(&self, text: &str) -> Vec<(usize, usize, usize)> {
        let mut out = Vec::new();
        self.scan(text, |p, a, b| {
            out.push((p, a, b));
            true
        });
        out.sort_unstable();
        out
    }
}

word_set!(
    /// The `kind-cues` list ("such"): a word right before an event word that
    /// makes it a kind of event ("the second such attack"), not an incident.
    pub kind_cues,
    "kind-cues"
);

word_set!(
    /// The `victim-anaphora` list ("more", "others"): after a number, victims
    /// already named ("two more were killed").
    pub victim_anaphora,
    "victim-anaphora"
);

word_set!(
    /// The `occurrence-verbs` list ("occurred", "took place"): after a
    /// relative word, the clause tells of the event word before it.
    pub occurrence_verbs,
    "occurrence-verbs"
);

word_set!(
    /// The `participle-cues` list ("the", "newly"): before an event word in
    /// -ed, an adjective ("the liberated territories").
    pub participle_cues,
    "participle-cues"
);

/// The phrases of [`triggers`], in one automaton (same indices).
pub static TRIGGER_SET: PhraseSet =
    PhraseSet::sentence_set(0, || triggers().iter().map(|t| t.phrase).collect());
/// The `modal-cues` list in one automaton.
pub static MODAL_SET: PhraseSet = PhraseSet::sentence_set(1, || words("modal-cues"));
/// The `aggregate-cues` list in one automaton.
pub static AGGREGATE_SET: PhraseSet = PhraseSet::sentence_set(2, || words("aggregate-cues"));
/// The `history-cues` list in one automaton.
pub static HISTORY_SET: PhraseSet = PhraseSet::sentence_set(3, || words("history-cues"));
/// The phrases of [`statement_verbs`] (same indices).
pub static STATEMENT_SET: PhraseSet =
    PhraseSet::sentence_set(4, || statement_verbs().iter().map(|v| v.0).collect());
/// The `report-verbs` list in one automaton.
pub static REPORT_SET: PhraseSet = PhraseSet::sentence_set(5, || words("report-verbs"));
/// The `military-victims` list in one automaton.
pub static MILITARY_SET: PhraseSet = PhraseSet::sentence_set(6, || military_victims().to_vec());
/// The `civilian-victims` list in one automaton.
pub static CIVILIAN_SET: PhraseSet = PhraseSet::sentence_set(7, || civilian_victims().to_vec());

/// The `toll-words` list in one automaton.
pub static TOLL_SET: PhraseSet = PhraseSet::sentence_set(8, || words("toll-words"));

/// The `recent-days` list in one automaton.
pub static RECENT_DAYS_SET: PhraseSet = PhraseSet::sentence_set(9, || words("recent-days"));
/// Clash words, for telling riots from battles.
pub static CLASH_SET: PhraseSet = PhraseSet::sentence_set(10, || vec!["clash*"]);
/// The `protest-words` list in one automaton.
pub static PROTEST_SET: PhraseSet = PhraseSet::sentence_set(11, || words("protest-words"));
/// "according to", which introduces a source.
pub static ACCORDING_SET: PhraseSet = PhraseSet::sentence_set(12, || vec!["according to"]);
/// The `incident-anaphora` list ("the incident took place") in one automaton.
pub static ANAPHORA_SET: PhraseSet = PhraseSet::sentence_set(13, || words("incident-anaphora"));

/// The `recurrence-cues` list ("under constant shelling") in one automaton.
pub static RECURRENCE_SET: PhraseSet = PhraseSet::sentence_set(14, || words("recurrence-cues"));

/// The `settlement-anaphora` list ("in the city") in one automaton.
pub static SETTLEMENT_SET: PhraseSet = PhraseSet::sentence_set(15, || words("settlement-anaphora"));

/// The sets read from a sentence's [`Lex`], each at its `slot`.
pub static SENTENCE_SETS: [&PhraseSet; 16] = [
    &TRIGGER_SET,
    &MODAL_SET,
    &AGGREGATE_SET,
    &HISTORY_SET,
    &STATEMENT_SET,
    &REPORT_SET,
    &MILITARY_SET,
    &CIVILIAN_SET,
    &TOLL_SET,
    &RECENT_DAYS_SET,
    &CLASH_SET,
    &PROTEST_SET,
    &ACCORDING_SET,
    &ANAPHORA_SET,
    &RECURRENCE_SET,
    &SETTLEMENT_SET,
];

/// The needles of every [`SENTENCE_SETS`] phrase in one automaton.
struct Combined {
    ac: AhoCorasick,
    /// Per needle: the (set slot, phrase index, ends in `*`) using it.
    uses: Vec<Vec<(u8, u16, bool)>>,
}

fn combined() -> &'static Combined {
    static C: OnceLock<Combined> = OnceLock::new();
    C.get_or_init(|| {
        let mut needles: Vec<&'static str> = Vec::new();
        let mut uses: Vec<Vec<(u8, u16, bool)>> = Vec::new();
        let mut index: std::collections::HashMap<&'static str, usize> =
            std::collections::HashMap::new();
        for (slot, set) in SENTENCE_SETS.iter().enumerate() {
            debug_assert_eq!(set.slot, Some(slot as u8));
            for (p, phrase) in (set.phrases)().into_iter().enumerate() {
                let needle = phrase.strip_suffix('*').unwrap_or(phrase);
                let n = *index.entry(needle).or_insert_with(|| {
                    needles.push(needle);
                    uses.push(Vec::new());
                    needles.len() - 1
                });
                uses[n].push((slot as u8, p as u16, phrase.ends_with('*')));
            }
        }
        let ac = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .kind(Some(AhoCorasickKind::DFA))
            .build(&needles)
            .expect("phrase lists build an automaton");
        Combined { ac, uses }
    })
}

/// Every occurrence of every [`SENTENCE_SETS`] needle in one lowercased
/// sentence, found in one automaton pass. A set's matches in any part of
/// the sentence are then read from it without searching again: each query
/// gives exactly what the [`PhraseSet`] method gives on that part of the
/// text (positions are in the whole sentence).
pub struct Lex<'a> {
    text: &'a str,
    /// (needle, start, end), in order of end.
    occ: Vec<(u32, u32, u32)>,
}

impl<'a> Lex<'a> {
    /// Scan `text` (lowercased) once.
    pub fn new(text: &'a str) -> Lex<'a> {
        let c = combined();
        let occ =
            c.ac.find_overlapping_iter(text)
                .map(|m| (m.pattern().as_u32(), m.start() as u32, m.end() as u32))
                .collect::<Vec<_>>();
        // `scan` relies on it: an overlapping search reports by end.
        debug_assert!(occ.windows(2).all(|w| w[0].2 <= w[1].2));
        Lex { text, occ }
    }

    /// The text scanned.
    pub fn text(&self) -> &'a str {
        self.text
    }

    /// [`PhraseSet`]'s scan of `text[range]`, from the occurrences: calls
    /// `f(phrase, start, end)` (positions in `text`) until it returns false.
    fn scan(
        &self,
        set: &PhraseSet,
        range: std::ops::Range<usize>,
        mut f: impl FnMut(usize, usize, usize) -> bool,
    ) {
        let Some(slot) = set.slot else {
            // Not a sentence set: search the part itself.
            let base = range.start;
            set.scan(&self.text[range], |p, a, b| f(p, base + a, base + b));
            return;
        };
        let uses = &combined().uses;
        // Per phrase: where its next occurrence may start.
        let mut next: Vec<(u16, usize)> = Vec::new();
        // Occurrences are in order of their ends; those ending by
        // `range.start` start before it (none is empty).
        let first = self.occ.partition_point(|o| o.2 as usize <= range.start);
        for &(n, a, e) in &self.occ[first..] {
            let (a, e) = (a as usize, e as usize);
            if e > range.end {
                break;
            }
            if a < range.start {
                continue;
            }
            for &(s, p, prefix) in &uses[n as usize] {
                if s != slot {
                    continue;
                }
                let k = next.iter().position(|x| x.0 == p);
                if k.is_some_and(|k| a < next[k].1) {
                    continue;
                }
                let (resume, hit) =
                    match word_match_in(&self.text[..range.end], range.start, a, e, prefix) {
                        Some(end) => (end.max(a + 1), Some(end)),
                        None => (e.max(a + 1), None),
                    };
                match k {
                    Some(k) => next[k].1 = resume,
                    None => next.push((p, resume)),
                }
                if let Some(end) = hit {
                    if !f(p as usize, a, end) {
                        return;
                    }
                }
            }
        }
    }

    /// [`PhraseSet::contains`] on `text[range]`.
    pub fn contains(&self, set: &PhraseSet, range: std::ops::Range<usize>) -> bool {
        let mut any = false;
        self.scan(set, range, |_, _, _| {
            any = true;
            false
        });
        any
    }

    /// [`PhraseSet::contains`] on the whole text.
    pub fn has(&self, set: &PhraseSet) -> bool {
        self.contains(set, 0..self.text.len())
    }

    /// [`PhraseSet::first_each`] on `text[range]`, positions in `text`.
    pub fn first_each(
        &self,
        set: &PhraseSet,
        range: std::ops::Range<usize>,
    ) -> Vec<Option<(usize, usize)>> {
        let mut out = vec![None; set.built().prefix.len()];
        self.scan(set, range, |p, a, b| {
            out[p].get_or_insert((a, b));
            true
        });
        out
    }

    /// [`PhraseSet::all`] on `text[range]`, positions in `text`.
    pub fn all(
        &self,
        set: &PhraseSet,
        range: std::ops::Range<usize>,
    ) -> Vec<(usize, usize, usize)> {
        let mut out = Vec::new();
        self.scan(set, range, |p, a, b| {
            out.push((p, a, b));
            true
        });
        out.sort_unstable();
        out
    }
}

/// Whether the needle found at `a..b` in `text` is a match at word
/// boundaries; its end (extended over the word's ending when `prefix`).
#[inline]
fn word_match(text: &str, a: usize, b: usize, prefix: bool) -> Option<usize> {
    word_match_in(text, 0, a, b, prefix)
}

/// [`word_match`] on `text[lo..]` as if it were the whole text (`lo <= a`).
#[inline]
fn word_match_in(text: &str, lo: usize, a: usize, mut b: usize, prefix: bool) -> Option<usize> {
    let before_ok = a == lo
        || text[..a]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric());
    if !before_ok {
        return None;
    }
    if prefix {
        while let Some(c) = text[b..].chars().next() {
            if c.is_alphanumeric() {
                b += c.len_utf8();
            } else {
                break;
            }
        }
    }
    let after_ok = text[b..]
        .chars()
        .next()
        .is_none_or(|c| !c.is_alphanumeric());
    after_ok.then_some(b)
}

/// The first occurrence of `needle` in `hay` (what `str::find` returns).
/// Sentences are short and phrases are searched once each, so a memchr scan
/// for the first byte beats building a substring searcher per call
/// (`str::find` and `memmem::find` both build one).
#[cfg(test)]
fn find_bytes(hay: &[u8], needle: &[u8]) -> Option<usize> {
    let Some((&first, rest)) = needle.split_first() else {
        return Some(0);
    };
    let mut at = 0;
    while let Some(i) = memchr::memchr(first, hay.get(at..)?) {
        let a = at + i;
        if hay.get(a + 1..a + needle.len()) == Some(rest) {
            return Some(a);
        }
        at = a + 1;
    }
    None
}

/// Every occurrence of `phrase` in lowercased `text` (the reference
/// [`PhraseSet::all`] is tested against).
#[cfg(test)]
fn find_all(text: &str, phrase: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some((a, b)) = find_phrase(text, phrase, from) {
        out.push((a, b));
        from = b.max(a + 1);
        while from < text.len() && !text.is_char_boundary(from) {
            from += 1;
        }
    }
    out
}

/// Does any of `phrases` occur in lowercased `text`?
#[cfg(test)]
fn contains_any(text: &str, phrases: &[&str]) -> bool {
    phrases.iter().any(|p| find_phrase(text, p, 0).is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small reproducible generator of test texts.
    struct Rng(u64);

    impl Rng {
        fn below(&mut self, n: usize) -> usize {
            self.0 = self
                .0
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (self.0 >> 33) as usize % n.max(1)
        }

        /// Up to `max_parts` phrases (their needles, sometimes cut in half)
        /// glued with separators, near misses and non-ASCII letters.
        fn text(&mut self, phrases: &[&str], max_parts: usize) -> String {
            let glue = [" ", "", "-", "s ", "ing ", ", ", "é", "\"", "x"];
            let mut text = String::new();
            for _ in 0..self.below(max_parts) {
                let p = phrases[self.below(phrases.len())];
                let p = p.strip_suffix('*').unwrap_or(p);
                let p = if self.below(4) == 0 {
                    // Half the needle, cut at a character boundary.
                    let mut half = p.len() / 2;
                    while !p.is_char_boundary(half) {
                        half -= 1;
                    }
                    &p[..half]
                } else {
                    p
                };
                text.push_str(p);
                text.push_str(glue[self.below(glue.len())]);
                if !text.is_char_boundary(text.len()) {
                    text.clear();
                }
            }
            text
        }
    }

    #[test]
    fn phrases_match_at_word_boundaries() {
        let cases = [
            ("the shelling of", "shell*", Some((4, 12))),
            ("eggshell", "shell*", None),
            ("clashes broke out", "clash*", Some((0, 7))),
            ("a mine.", "mine", Some((2, 6))),
            ("determined", "mine", None),
            ("two-decade-old", "two-decade", Some((0, 10))),
        ];
        for (text, phrase, want) in cases {
            assert_eq!(find_phrase(text, phrase, 0), want, "{phrase} in {text}");
        }
        assert_eq!(find_all("clash, clashes", "clash*").len(), 2);
        // Every trigger matches a text made of its own phrase (also when
        // two triggers share a phrase).
        for (i, t) in triggers().iter().enumerate() {
            let needle = t.phrase.strip_suffix('*').unwrap_or(t.phrase);
            assert!(
                TRIGGER_SET.all(needle).iter().any(|m| m.0 == i),
                "{}",
                t.phrase
            );
        }
        for (hay, needle) in [
            ("abcabd", "abd"),
            ("aaa", "aa"),
            ("ab", "abc"),
            ("", ""),
            ("x", ""),
        ] {
            assert_eq!(
                find_bytes(hay.as_bytes(), needle.as_bytes()),
                hay.find(needle)
            );
        }
    }

    /// A phrase set finds exactly what searching phrase by phrase finds:
    /// first matches, all matches and "any", on texts built from the lists'
    /// own phrases, their needles, near misses and overlapping repeats.
    #[test]
    fn phrase_sets_agree_with_phrase_by_phrase_search() {
        let lists: [(&PhraseSet, Vec<&str>); 6] = [
            (&TRIGGER_SET, triggers().iter().map(|t| t.phrase).collect()),
            (&MODAL_SET, words("modal-cues")),
            (&HISTORY_SET, words("history-cues")),
            (
                &STATEMENT_SET,
                statement_verbs().iter().map(|v| v.0).collect(),
            ),
            (&REPORT_SET, words("report-verbs")),
            (&TOLL_SET, words("toll-words")),
        ];
        let mut rng = Rng(7);
        for (set, phrases) in &lists {
            for _ in 0..300 {
                let text = rng.text(phrases, 8);
                let first: Vec<_> = phrases.iter().map(|p| find_phrase(&text, p, 0)).collect();
                assert_eq!(set.first_each(&text), first, "{text:?}");
                assert_eq!(
                    set.contains(&text),
                    contains_any(&text, phrases),
                    "{text:?}"
                );
                let all: Vec<_> = phrases
                    .iter()
                    .enumerate()
                    .flat_map(|(i, p)| find_all(&text, p).into_iter().map(move |(a, b)| (i, a, b)))
                    .collect();
                assert_eq!(set.all(&text), all, "{text:?}");
            }
        }
        assert_eq!(
            find_all("aaaa", "aa"),
            SELF_OVERLAPPING
                .all("aaaa")
                .iter()
                .map(|m| (m.1, m.2))
                .collect::<Vec<_>>()
        );
    }

    static SELF_OVERLAPPING: PhraseSet = PhraseSet::new(|| vec!["aa"]);

    /// Reading a set from a sentence's one-pass scan ([`Lex`]) gives what
    /// searching that part of the sentence with the set alone gives, for
    /// every sentence set and parts that start or end inside words.
    #[test]
    fn lex_queries_equal_searching_the_part() {
        let mut rng = Rng(11);
        let mut all_phrases: Vec<&str> = SENTENCE_SETS.iter().flat_map(|s| (s.phrases)()).collect();
        all_phrases.push("aa");
        for _ in 0..400 {
            let text = rng.text(&all_phrases, 10);
            let lex = Lex::new(&text);
            let bounds: Vec<usize> = (0..=text.len())
                .filter(|&i| text.is_char_boundary(i))
                .collect();
            for _ in 0..6 {
                let a = bounds[rng.below(bounds.len())];
                let b = bounds[rng.below(bounds.len())];
                let r = a.min(b)..a.max(b);
                let part = &text[r.clone()];
                for set in SENTENCE_SETS.iter().copied().chain([&SELF_OVERLAPPING]) {
                    let shift = |v: Vec<Option<(usize, usize)>>| {
                        v.into_iter()
                            .map(|m| m.map(|(x, y)| (x + r.start, y + r.start)))
                            .collect::<Vec<_>>()
                    };
                    assert_eq!(
                        lex.first_each(set, r.clone()),
                        shift(set.first_each(part)),
                        "{text:?} {r:?}"
                    );
                    assert_eq!(lex.contains(set, r.clone()), set.contains(part));
                    let all: Vec<_> = set
                        .all(part)
                        .into_iter()
                        .map(|(p, x, y)| (p, x + r.start, y + r.start))
                        .collect();
                    assert_eq!(lex.all(set, r.clone()), all, "{text:?} {r:?}");
                }
            }
            assert_eq!(lex.has(&TRIGGER_SET), TRIGGER_SET.contains(&text));
        }
    }
}
