//! The first words of names: for every normalized name and demonym, its
//! first word (maximal alphanumeric run) mapped to how many words the names
//! starting with it have ([`FirstWord`]). The place matcher looks every
//! capitalized token up in this table ([`FirstWords`]), so it is built with
//! the gazetteer: by `build.rs` for the bundled data (stored in the
//! snapshot), in the cache for big user directories, and merged when
//! layers are added to a snapshot ([`FirstWords::merge`]).
//!
//! Also the word splitting that the table and the matchers share
//! ([`word_spans`], [`is_alphanumeric`]).

use std::borrow::Cow;
use std::ops::Range;

use super::names::{hash, probe, slot, FastMap, EMPTY};

/// How many words the phrases starting with some word have.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct FirstWord {
    /// The most words (at most 255).
    pub max: u8,
    /// Bit `n - 1`: some phrase has `n` words (`n` <= 64; longer ones are
    /// only counted in `max`).
    pub lengths: u64,
}

impl FirstWord {
    /// Whether some phrase may have `n` words (`n` >= 1).
    #[inline]
    pub fn may_have(self, n: usize) -> bool {
        n > 64 || self.lengths >> (n - 1) & 1 == 1
    }

    /// Count a phrase of `n` words (`n` >= 1).
    fn add(&mut self, n: usize) {
        self.max = self.max.max(n.min(u8::MAX as usize) as u8);
        if n <= 64 {
            self.lengths |= 1 << (n - 1);
        }
    }
}

/// The first word of `phrase` (a byte range) and how many words it has;
/// `None` when it has none.
fn first_word(phrase: &str) -> Option<(Range<usize>, usize)> {
    let mut words = WordSpans::new(phrase, 0, phrase.len());
    let (a, b) = words.next()?;
    Some((a..b, 1 + words.count()))
}

/// Record in `first` that a phrase starts with its first word and has so
/// many words, for matchers that look phrases up word by word.
pub(crate) fn note_first_word(first: &mut FastMap<String, FirstWord>, phrase: &str) {
    let Some((w, n)) = first_word(phrase) else {
        return;
    };
    let e = match first.get_mut(&phrase[w.clone()]) {
        Some(e) => e,
        None => first.entry(phrase[w].to_string()).or_default(),
    };
    e.add(n);
}

/// First word -> [`FirstWord`], for every name and demonym of a gazetteer
/// (see the module docs), in the form it is stored in: the words one after
/// another in an arena, and one block of bytes (little-endian throughout)
/// holding
///
/// ```text
/// kinds: u32 count, then per kind max u8, lengths u64   (the distinct FirstWords)
/// words: u64 count, then per word  end u32 (in the arena), kind u32
/// table: u64 count, then per slot  u64: (hash >> 32) << 32 | word number, or u64::MAX
/// ```
///
/// (a word starts where the one before it ends; the table is an
/// open-addressing hash table with linear probing, at most half full, like
/// the name index's but of any length, see `home`). A snapshot stores the arena and the block as they
/// are, so decoding one allocates nothing per word, and the bundled table
/// is read in place from the binary. Lookups check every offset, so
/// damaged bytes only make them miss, never panic. Built and changed as a
/// `first::Builder`.
#[derive(Debug, Clone, Default)]
pub struct FirstWords {
    arena: Cow<'static, str>,
    block: Cow<'static, [u8]>,
    kinds: Vec<FirstWord>,
    /// Where the words and the table start in `block`.
    words_at: usize,
    n_words: usize,
    table_at: usize,
    n_slots: usize,
}

/// Bytes of a kind and of a word in the block.
const KIND: usize = 9;
const WORD: usize = 8;

#[inline]
fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

#[inline]
fn u64_at(b: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_le_bytes(b.get(at..at + 8)?.try_into().ok()?))
}

/// The slot where probing for hash `h` starts in a table of `slots` slots
/// (any number up to `u32::MAX`): the low 32 bits of the hash scaled to it
/// (the high 32 are the slots' tags).
#[inline]
fn home(h: u64, slots: usize) -> usize {
    (((h & 0xffff_ffff) * slots as u64) >> 32) as usize
}

impl FirstWords {
    /// What the phrases starting with `word` have; `None` if none does.
    #[inline]
    pub fn get(&self, word: &str) -> Option<&FirstWord> {
        let block = &self.block[..];
        let slot = |i: usize| u64_at(block, self.table_at + 8 * i).unwrap_or(EMPTY);
        let h = hash(word.as_bytes());
        let start = home(h, self.n_slots);
        let e = probe(self.n_slots, start, slot, h, |e| self.word(e) == Some(word)).ok()?;
        self.kind(e).filter(|k| k.max > 0)
    }

    /// Word number `e`, if the block and arena hold it.
    #[inline]
    fn word(&self, e: usize) -> Option<&str> {
        if e >= self.n_words {
            return None;
        }
        let at = self.words_at + WORD * e;
        let start = match e {
            0 => 0,
            _ => u32_at(&self.block, at - WORD)?,
        };
        let end = u32_at(&self.block, at)?;
        self.arena.get(start as usize..end as usize)
    }

    #[inline]
    fn kind(&self, e: usize) -> Option<&FirstWord> {
        let k = u32_at(&self.block, self.words_at + WORD * e + 4)?;
        self.kinds.get(k as usize)
    }

    /// Every word some phrase starts with and what they have, in no
    /// particular order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, FirstWord)> {
        (0..self.n_words).filter_map(|e| {
            let k = self.kind(e).filter(|k| k.max > 0)?;
            Some((self.word(e)?, *k))
        })
    }

    /// Number of words.
    pub fn len(&self) -> usize {
        self.iter().count()
    }

    /// Whether no phrase has a word.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The arena and the block, to be stored in a snapshot and given back
    /// to [`FirstWords::from_parts`].
    pub(crate) fn parts(&self) -> (&str, &[u8]) {
        (&self.arena, &self.block)
    }

    /// The table of [`FirstWords::parts`]. Checks the layout (counts that
    /// fit the block), not every word and slot: lookups check those. Bad parts are an error, never a panic.
    pub(crate) fn from_parts(
        arena: Cow<'static, str>,
        block: Cow<'static, [u8]>,
    ) -> Result<FirstWords, &'static str> {
        const BAD: &str = "bad first-word table";
        let b = &block[..];
        let n_kinds = u32_at(b, 0).ok_or(BAD)? as usize;
        let kinds_len = n_kinds.checked_mul(KIND).ok_or(BAD)?;
        let kinds = b.get(4..4 + kinds_len).ok_or(BAD)?;
        let kinds = kinds
            .chunks_exact(KIND)
            .map(|k| FirstWord {
                max: k[0],
                lengths: u64::from_le_bytes(k[1..].try_into().expect("8 bytes")),
            })
            .collect();
        let count = |at: usize, size: usize| -> Result<(usize, usize), &'static str> {
            let n = usize::try_from(u64_at(b, at).ok_or(BAD)?).map_err(|_| BAD)?;
            let end = n.checked_mul(size).and_then(|l| l.checked_add(at + 8));
            if end.is_none_or(|end| end > b.len()) {
                return Err(BAD);
            }
            Ok((n, at + 8))
        };
        let (n_words, words_at) = count(4 + kinds_len, WORD)?;
        let (n_slots, table_at) = count(words_at + WORD * n_words, 8)?;
        if table_at + 8 * n_slots != b.len() || n_slots > u32::MAX as usize {
            return Err(BAD);
        }
        Ok(FirstWords {
            arena,
            block,
            kinds,
            words_at,
            n_words,
            table_at,
            n_slots,
        })
    }

    /// A [`Builder`] holding this table, to add phrases to.
    pub(crate) fn thaw(&self) -> Builder {
        let mut b = Builder {
            arena: self.arena.to_string(),
            words: Vec::with_capacity(self.n_words),
            table: (0..self.n_slots)
                .map(|i| u64_at(&self.block, self.table_at + 8 * i).unwrap_or(EMPTY))
                .collect(),
        };
        let mut at = 0;
        for e in 0..self.n_words {
            let at_end = u32_at(&self.block, self.words_at + WORD * e);
            let end = at_end.filter(|&end| self.arena.is_char_boundary(end as usize) && end >= at);
            let (end, word) = match (end, self.kind(e)) {
                (Some(end), Some(&k)) => (end, k),
                // Damaged: a word no lookup finds.
                _ => (at, FirstWord::default()),
            };
            b.words.push((end, word));
            at = end;
        }
        b
    }
}

/// A first-word table being built: [`Builder::note`] counts a phrase
/// under its first word; [`Builder::freeze`] makes the [`FirstWords`].
#[derive(Debug, Default, Clone)]
pub(crate) struct Builder {
    arena: String,
    /// Per word: where it ends in the arena (it starts where the one before
    /// ends) and what the phrases starting with it have. `max == 0`: no
    /// phrase does any more (see [`Builder::merge`]).
    words: Vec<(u32, FirstWord)>,
    /// [`slot`]s, at most half full (or empty); see `home`.
    table: Vec<u64>,
}

impl Builder {
    /// The table of these phrases (normalized names and demonyms).
    pub fn from_phrases<'a>(phrases: impl IntoIterator<Item = &'a str>) -> Builder {
        let phrases = phrases.into_iter();
        let mut b = Builder::default();
        b.reserve(phrases.size_hint().0);
        for p in phrases {
            b.note(p);
        }
        b
    }

    /// Make room for `more` words at most, so that adding them rebuilds
    /// the table once at most, not at every doubling.
    pub fn reserve(&mut self, more: usize) {
        self.words.reserve(more);
        if (self.words.len() + more) * 2 > self.table.len() {
            self.rebuild((self.words.len() + more) * 2);
        }
    }

    /// Word number `e` ("" if there is none: a damaged table).
    fn word(&self, e: usize) -> &str {
        let start = e
            .checked_sub(1)
            .map_or(Some(0), |p| self.words.get(p).map(|w| w.0));
        let end = self.words.get(e).map(|w| w.0);
        match (start, end) {
            (Some(a), Some(z)) => self.arena.get(a as usize..z as usize).unwrap_or(""),
            _ => "",
        }
    }

    /// The number of `word` (hash `h`), or `Err` with the free slot where
    /// it would go (`None`: no room).
    fn find(&self, word: &str, h: u64) -> Result<usize, Option<usize>> {
        let t = &self.table;
        probe(
            t.len(),
            home(h, t.len()),
            |i| t[i],
            h,
            |e| self.word(e) == word,
        )
    }

    /// Count `phrase` (normalized) under its first word.
    pub fn note(&mut self, phrase: &str) {
        if let Some((w, n)) = first_word(phrase) {
            self.entry(&phrase[w]).add(n);
        }
    }

    /// The entry of `word`, added if missing.
    fn entry(&mut self, word: &str) -> &mut FirstWord {
        let h = hash(word.as_bytes());
        let e = loop {
            match self.find(word, h) {
                Ok(e) => break e,
                Err(Some(free)) if (self.words.len() + 1) * 2 <= self.table.len() => {
                    self.arena.push_str(word);
                    let end = u32::try_from(self.arena.len()).expect("first words under 4 GiB");
                    self.table[free] = slot(h, self.words.len());
                    self.words.push((end, FirstWord::default()));
                    break self.words.len() - 1;
                }
                Err(_) => self.grow(),
            }
        };
        &mut self.words[e].1
    }

    /// Rebuild the table a quarter full (at least 1024 slots).
    fn grow(&mut self) {
        self.rebuild((self.words.len() * 4).max(1024));
    }

    /// Rebuild the table with `slots` slots (more than the words).
    fn rebuild(&mut self, slots: usize) {
        assert!(
            slots > self.words.len() && slots <= u32::MAX as usize,
            "first-word table size"
        );
        let mut table = vec![EMPTY; slots];
        for e in 0..self.words.len() {
            let h = hash(self.word(e).as_bytes());
            let mut i = home(h, slots);
            while table[i] != EMPTY {
                i = if i + 1 == slots { 0 } else { i + 1 };
            }
            table[i] = slot(h, e);
        }
        self.table = table;
    }

    /// Bring the table of an earlier gazetteer up to date after layers were
    /// added to it, so that it equals [`Builder::from_phrases`] over the
    /// new gazetteer's phrases (`current`: its names, then its demonyms).
    /// `added` are the phrases that may be new (the names of the places of
    /// later layers, every demonym: demonyms are never dropped), `dropped`
    /// those that may have gone (the names that replaced places had);
    /// `is_current` says whether a phrase still is one. The words of
    /// phrases that went are counted again over `current`, only when there
    /// are some.
    pub fn merge<'a, C>(
        &mut self,
        added: impl IntoIterator<Item = &'a str>,
        dropped: impl IntoIterator<Item = &'a str>,
        is_current: impl Fn(&str) -> bool,
        current: impl FnOnce() -> C,
    ) where
        C: Iterator<Item = &'a str>,
    {
        for p in added {
            self.note(p);
        }
        let mut stale: FastMap<&str, ()> = FastMap::default();
        // Bit `len % 64` of `maybe[first byte % 64]`: a word of that length
        // and first byte may be stale (most words are told apart here).
        let mut maybe = [0u64; 64];
        let key = |w: &str| (w.as_bytes()[0] as usize % 64, w.len() % 64);
        for p in dropped {
            if let Some((w, _)) = first_word(p).filter(|_| !is_current(p)) {
                let (x, y) = key(&p[w.clone()]);
                maybe[x] |= 1 << y;
                stale.insert(&p[w], ());
            }
        }
        if stale.is_empty() {
            return;
        }
        for &w in stale.keys() {
            if let Ok(e) = self.find(w, hash(w.as_bytes())) {
                self.words[e].1 = FirstWord::default();
            }
        }
        for p in current() {
            // The first word alone, and the rest only for the few found.
            let Some((a, b)) = WordSpans::new(p, 0, p.len()).next() else {
                continue;
            };
            let (x, y) = key(&p[a..b]);
            if maybe[x] >> y & 1 == 1 && stale.contains_key(&p[a..b]) {
                let n = 1 + WordSpans::new(p, b, p.len()).count();
                self.entry(&p[a..b]).add(n);
            }
        }
    }

    /// The table in its stored form: half full (rebuilt so when it has much
    /// more room, as after [`Builder::reserve`]), since it is read and
    /// written with every snapshot.
    pub fn freeze(mut self) -> FirstWords {
        let slots = 2 * self.words.len() + 1;
        if self.table.len() > slots + slots / 4 {
            self.rebuild(slots);
        }
        let mut kinds: Vec<FirstWord> = Vec::new();
        let mut kind_of: FastMap<FirstWord, u32> = FastMap::default();
        let mut last = None;
        let ids: Vec<u32> = (self.words.iter())
            .map(|&(_, w)| match last {
                // Most words have what the word before them has.
                Some((l, id)) if l == w => id,
                _ => {
                    let id = *kind_of.entry(w).or_insert_with(|| {
                        kinds.push(w);
                        kinds.len() as u32 - 1
                    });
                    last = Some((w, id));
                    id
                }
            })
            .collect();
        let mut block = Vec::with_capacity(
            4 + KIND * kinds.len() + 8 + WORD * self.words.len() + 8 + 8 * self.table.len(),
        );
        block.extend_from_slice(&(kinds.len() as u32).to_le_bytes());
        for k in &kinds {
            block.push(k.max);
            block.extend_from_slice(&k.lengths.to_le_bytes());
        }
        block.extend_from_slice(&(self.words.len() as u64).to_le_bytes());
        for (&(end, _), id) in self.words.iter().zip(ids) {
            block.extend_from_slice(&end.to_le_bytes());
            block.extend_from_slice(&id.to_le_bytes());
        }
        block.extend_from_slice(&(self.table.len() as u64).to_le_bytes());
        for &sl in &self.table {
            block.extend_from_slice(&sl.to_le_bytes());
        }
        FirstWords::from_parts(Cow::Owned(self.arena), Cow::Owned(block)).expect("a table as built")
    }
}

/// The words (maximal alphanumeric runs) of `s[from..to]`, as byte ranges of `s`.
pub fn word_spans(s: &str, from: usize, to: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::with_capacity((to - from) / 6 + 1);
    let mut start: Option<usize> = None;
    let mut i = from;
    while i < to {
        let (alnum, len) = alnum_at(s, i);
        if alnum {
            start.get_or_insert(i);
        } else if let Some(a) = start.take() {
            out.push((a, i));
        }
        i += len;
    }
    if let Some(a) = start {
        out.push((a, to));
    }
    out
}

/// Whether the character at byte `i` of `s` (a character boundary) is
/// alphanumeric, and its length: ASCII bytes from a table, other characters
/// of the Basic Multilingual Plane decoded here (two or three bytes), the
/// rest by `chars`.
#[inline(always)]
fn alnum_at(s: &str, i: usize) -> (bool, usize) {
    let b = s.as_bytes();
    let lead = b[i];
    if lead < 0x80 {
        return (ASCII_ALNUM[lead as usize], 1);
    }
    let next = |k: usize| u32::from(b[i + k] & 0x3f);
    if lead < 0xe0 {
        let c = u32::from(lead & 0x1f) << 6 | next(1);
        return (bmp_alphanumeric(c), 2);
    }
    if lead < 0xf0 {
        let c = u32::from(lead & 0x0f) << 12 | next(1) << 6 | next(2);
        return (bmp_alphanumeric(c), 3);
    }
    let c = s[i..].chars().next().expect("a character starts here");
    (c.is_alphanumeric(), c.len_utf8())
}

/// [`is_alphanumeric`] of a character below U+10000.
#[inline(always)]
fn bmp_alphanumeric(c: u32) -> bool {
    let n = (c & 0xffff) as usize;
    super::alphanumeric_table()[n / 64] >> (n % 64) & 1 == 1
}

/// [`char::is_alphanumeric`], read from a table for the Basic Multilingual
/// Plane (gazetteer names and article text in Cyrillic, Arabic, Armenian,
/// Georgian ... are split into words with it). The table is made by
/// `build.rs` from `char::is_alphanumeric` itself (`alphanumeric_bmp`).
#[inline]
pub fn is_alphanumeric(c: char) -> bool {
    if c as u32 >= 0x10000 {
        return c.is_alphanumeric();
    }
    bmp_alphanumeric(c as u32)
}

/// Bit `c % 64` of word `c / 64`: whether BMP character `c` is
/// alphanumeric (surrogates are not characters: 0).
#[allow(dead_code)] // used by build.rs
pub(crate) fn alphanumeric_bmp() -> Vec<u64> {
    let mut bits = vec![0u64; 0x10000 / 64];
    for (i, c) in (0..0x10000u32).filter_map(|i| Some((i, char::from_u32(i)?))) {
        if c.is_alphanumeric() {
            bits[i as usize / 64] |= 1 << (i % 64);
        }
    }
    bits
}

/// [`word_spans`] one word at a time.
pub(crate) struct WordSpans<'a> {
    s: &'a str,
    i: usize,
    to: usize,
}

impl<'a> WordSpans<'a> {
    pub(crate) fn new(s: &'a str, from: usize, to: usize) -> WordSpans<'a> {
        WordSpans { s, i: from, to }
    }
}

impl Iterator for WordSpans<'_> {
    type Item = (usize, usize);

    fn next(&mut self) -> Option<(usize, usize)> {
        let start = run_end(self.s, self.i, self.to, false);
        if start >= self.to {
            self.i = start;
            return None;
        }
        self.i = run_end(self.s, start, self.to, true);
        Some((start, self.i))
    }
}

/// Where the run of characters from byte `i` of `s[..to]` that are
/// alphanumeric (`alnum`) or not ends.
#[inline(always)]
fn run_end(s: &str, mut i: usize, to: usize, alnum: bool) -> usize {
    let bytes = &s.as_bytes()[..to];
    while let Some(&b) = bytes.get(i) {
        if b < 0x80 {
            if ASCII_ALNUM[b as usize] != alnum {
                break;
            }
            i += 1;
        } else {
            let (a, len) = alnum_at(s, i);
            if a != alnum {
                break;
            }
            i += len;
        }
    }
    i
}

/// `u8::is_ascii_alphanumeric` of each ASCII byte.
static ASCII_ALNUM: [bool; 128] = {
    let mut t = [false; 128];
    let mut b = 0;
    while b < 128 {
        t[b] = (b as u8).is_ascii_alphanumeric();
        b += 1;
    }
    t
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gazetteer::testutil::{assert_same, sorted_first_words, write_places};
    use crate::gazetteer::{as_sources, bundled_sources, read_source_dir, Gazetteer, LoadOptions};
    use std::collections::HashMap;

    /// The bundled data and two user layers, loaded on the bundled snapshot:
    /// the first layer adds names (a new first word, a longer name for a
    /// bundled one), the second replaces the bundled Yerevan by id with a
    /// row of fewer names and a place of the first layer. The merged table
    /// is what building it from scratch gives (`assert_same` compares it
    /// with `from_layers` and with the matcher's old build), and it lost a
    /// word and a length that only the replaced rows had.
    #[test]
    fn layers_merged_into_the_bundled_table_equal_a_fresh_build() {
        let (adds, fixes) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        write_places(
            &adds.path().join("places/adds.tsv"),
            &[
                "x-1\tYerevan Tech Park Zone Alpha\tsite\tAM\t\t40.2\t44.5\t\t\ttest",
                "x-2\tQwzxv Qwzxv\tvillage\tAM\t\t40.2\t44.5\t\tQwzxv Old Name Here\ttest",
            ],
        );
        write_places(
            &fixes.path().join("places/fixes.tsv"),
            &[
                "gn-616052\tYerevan\tcapital\tAM\tYerevan\t40.17765\t44.5126\t1144700\tErevan\tmy fix",
                "x-2\tQwzxv\tvillage\tAM\t\t40.2\t44.5\t\t\tmy fix",
            ],
        );
        let opts = LoadOptions {
            no_bundled: false,
            extra_dirs: vec![adds.path().to_path_buf(), fixes.path().to_path_buf()],
        };
        let (layered, problems, _) = Gazetteer::load_with_cache(&opts, None).unwrap();
        assert!(problems.is_empty(), "{problems:?}");
        let (a, f) = (
            read_source_dir(adds.path()).unwrap(),
            read_source_dir(fixes.path()).unwrap(),
        );
        let (fresh, _) =
            Gazetteer::from_layers(&[&bundled_sources(), &as_sources(&a), &as_sources(&f)]);
        assert_same(&layered, &fresh);

        let (bundled, _) = Gazetteer::load(&LoadOptions::default()).unwrap();
        let before: HashMap<_, _> = sorted_first_words(&bundled).into_iter().collect();
        let after: HashMap<_, _> = sorted_first_words(&layered).into_iter().collect();
        // Only Yerevan's replaced row had "Eruandawan" and "Erevan osh".
        assert!(before.contains_key("eruandawan") && !after.contains_key("eruandawan"));
        assert!(before["erevan"].may_have(2) && !after["erevan"].may_have(2));
        assert!(after["erevan"].may_have(1));
        // Added: a new word (its 2- and 4-word names replaced by 1 word),
        // and a longer name for "yerevan".
        assert!(!before.contains_key("qwzxv"));
        assert_eq!(after["qwzxv"], FirstWord { max: 1, lengths: 1 });
        assert!(!before["yerevan"].may_have(5) && after["yerevan"].may_have(5));
        assert_eq!(after["yerevan"].max, before["yerevan"].max.max(5));
        assert!(layered.first_words().get("eruandawan").is_none());
        assert_eq!(layered.first_words().get("qwzxv"), Some(&after["qwzxv"]));
    }

    /// Words are split exactly where `char::is_alphanumeric` says, for
    /// every character (each alone between separators, and in runs that
    /// mix scripts and UTF-8 lengths), by [`word_spans`] and [`WordSpans`].
    #[test]
    fn words_split_like_the_char_method() {
        let reference = |s: &str, from: usize| {
            let mut out = Vec::new();
            let mut start = None;
            for (i, c) in s[from..].char_indices().map(|(i, c)| (i + from, c)) {
                match (c.is_alphanumeric(), start) {
                    (true, None) => start = Some(i),
                    (false, Some(a)) => {
                        out.push((a, i));
                        start = None;
                    }
                    _ => {}
                }
            }
            out.extend(start.map(|a| (a, s.len())));
            out
        };
        let mut every = String::new();
        for (i, c) in (0..=0x10ffffu32).filter_map(char::from_u32).enumerate() {
            every.push(c);
            if i % 3 == 0 {
                every.push(if i % 2 == 0 { ' ' } else { '\u{2014}' });
            }
        }
        let texts = [
            every.as_str(),
            "Xankəndi-Ստեփանակերտ (Степанакерт) al-Qāmišlī ٣٤ 𝐀𝐁 x\u{301}y 漢字,かな",
            "",
            "  \u{a0}-- ",
            "a",
        ];
        for t in texts {
            let want = reference(t, 0);
            assert!(want.len() > 2 || t.len() < 60);
            assert_eq!(word_spans(t, 0, t.len()), want);
            assert_eq!(WordSpans::new(t, 0, t.len()).collect::<Vec<_>>(), want);
            if let Some(&(_, b)) = want.first() {
                assert_eq!(word_spans(t, b, t.len()), reference(t, b));
            }
        }
    }

    /// A few phrases, then some dropped: the table equals one built from
    /// the phrases left, and lookups answer like the map the actors use.
    #[test]
    fn merge_and_lookups_on_a_small_table() {
        let phrases = [
            "baku",
            "baku old city",
            "aghdam",
            "новый город",
            "new york",
            "new",
        ];
        let mut b = Builder::from_phrases(phrases);
        let left = ["baku", "aghdam", "new york", "new", "new york city", "x y"];
        b.merge(
            ["new york city", "x y"],
            ["baku old city", "новый город"],
            |p| left.contains(&p),
            || left.into_iter(),
        );
        let merged = b.freeze();
        let fresh = Builder::from_phrases(left).freeze();
        let mut map: FastMap<String, FirstWord> = FastMap::default();
        for p in left {
            note_first_word(&mut map, p);
        }
        let sorted = |f: &FirstWords| {
            let mut v: Vec<(String, FirstWord)> = f.iter().map(|(w, k)| (w.into(), k)).collect();
            v.sort_by(|x, y| x.0.cmp(&y.0));
            v
        };
        let mut want: Vec<_> = map.clone().into_iter().collect();
        want.sort_by(|x, y| x.0.cmp(&y.0));
        assert_eq!(sorted(&merged), want);
        assert_eq!(sorted(&fresh), want);
        for w in ["baku", "new", "x", "новый", "aghdam", "old", "zzz", ""] {
            assert_eq!(merged.get(w), map.get(w), "{w}");
        }
        assert_eq!(
            merged.get("new"),
            Some(&FirstWord {
                max: 3,
                lengths: 0b111
            })
        );
        assert_eq!(merged.len(), 4);
        assert!(FirstWords::default().get("baku").is_none());
    }

    /// Every cut of a table's block is an error; damaged bytes give an
    /// error or a table whose lookups, listing and thawing do not panic.
    #[test]
    fn truncated_or_damaged_table_is_an_error_or_misses() {
        let words: Vec<String> = (0..300).map(|i| format!("w{i} x{}", i % 7)).collect();
        let t = Builder::from_phrases(words.iter().map(String::as_str)).freeze();
        let (arena, block) = t.parts();
        let parts =
            |a: &str, b: &[u8]| FirstWords::from_parts(a.to_string().into(), b.to_vec().into());
        assert_eq!(parts(arena, block).unwrap().len(), 300);
        for n in 0..block.len() {
            assert!(parts(arena, &block[..n]).is_err(), "cut at {n}");
        }
        let mut damaged = block.to_vec();
        for i in 0..damaged.len() {
            for flip in [0x01, 0x80, 0xff] {
                damaged[i] ^= flip;
                if let Ok(t) = parts(arena, &damaged) {
                    for w in words.iter().step_by(37) {
                        let _ = t.get(&w[..w.find(' ').unwrap()]);
                    }
                    let _ = t.iter().count();
                    if i % 16 == 0 {
                        let mut b = t.thaw();
                        b.note("w1 more words");
                        let _ = b.freeze().get("w1");
                    }
                }
                damaged[i] ^= flip;
            }
        }
        // An arena shorter than its words: the words past its end miss.
        let t = parts(&arena[..arena.len() - 3], block).unwrap();
        assert!(t.get("w299").is_none() && t.get("w0").is_some());
        assert!(parts(arena, b"").is_err());
    }
}
