//! Name lookup with tolerance for misspellings and other scripts.
//!
//! An exact match on the [`normalize`]d name scores 1.0. Names whose
//! *skeleton* (see [`skeleton`]) equals the query's are spelling variants
//! such as "Степанакерт"/"Stepanakert" or "Gubadly"/"Qubadlı"; they score
//! between 0.90 and 0.95, closer spellings higher ("Shusa" is nearer to
//! "Shusha" than to "Susa"). Otherwise skeletons are compared with
//! Jaro-Winkler similarity, which must reach [`MIN_SIMILARITY`]; the score is
//! 0.9 times the mean of that similarity and the similarity of the Latin
//! spellings, so always below a skeleton match.
//!
//! The fuzzy search only looks at names whose skeleton shares the query's
//! first letter, or its second and third letters (so a wrong first letter is
//! tolerated), and whose length is close to the query's.

use std::collections::HashMap;

use super::names::{KeyList, NameIndex};
use super::translit::{skeleton, skeleton_into, to_latin};
use super::{normalize, precedence, Gazetteer, PlaceIdx, Preference};

/// Score of an exact match on the normalized name.
pub const EXACT: f64 = 1.0;
/// Best score of a match on the transliterated, variant-folded skeleton.
pub const SKELETON: f64 = 0.95;
/// Fuzzy matches score at most this.
pub const FUZZY_FACTOR: f64 = 0.9;
/// Lowest Jaro-Winkler similarity between skeletons that counts as a match.
pub const MIN_SIMILARITY: f64 = 0.86;

/// One result of [`Gazetteer::lookup`].
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub idx: PlaceIdx,
    /// 1.0 for an exact (normalized) match, lower for fuzzier matches.
    pub score: f64,
    /// The name or alias of the place that matched, as written in the data.
    pub matched: String,
}

/// Index over the skeletons of every normalized name. Entry `n` is entry
/// `n` of the name index ([`NameIndex::iter`] order).
#[derive(Debug, Default)]
pub(crate) struct FuzzyIndex {
    /// Skeletons, one span per name-index entry (empty for names without one).
    skeletons: KeyList,
    /// Length of each skeleton in chars.
    lens: Vec<u16>,
    /// skeleton -> entries (a name index over the skeletons, whose "places"
    /// are entry numbers).
    by_skeleton: NameIndex,
    /// consonants of the skeleton ([`consonants`]) -> entries.
    by_consonants: NameIndex,
    /// first letter of the skeleton -> entries.
    by_first: HashMap<char, Vec<u32>>,
    /// second and third letters of the skeleton -> entries.
    by_second: HashMap<(char, char), Vec<u32>>,
}

impl FuzzyIndex {
    fn build(g: &Gazetteer) -> FuzzyIndex {
        let mut ix = FuzzyIndex::default();
        let n = g.by_name.len();
        ix.skeletons.spans.reserve(n);
        ix.lens.reserve(n);
        let mut scratch = String::new();
        let mut ranges = Vec::with_capacity(n);
        let mut cons = KeyList::default();
        let mut cons_ranges = Vec::with_capacity(n);
        for (e, (key, _)) in g.by_name.iter().enumerate() {
            let start = ix.skeletons.arena.len();
            skeleton_into(key, &mut ix.skeletons.arena, &mut scratch);
            let sk = &ix.skeletons.arena[start..];
            let e = e as u32;
            let mut chars = sk.chars();
            if let Some(first) = chars.next() {
                ix.by_first.entry(first).or_default().push(e);
                if let (Some(a), Some(b)) = (chars.next(), chars.next()) {
                    ix.by_second.entry((a, b)).or_default().push(e);
                }
            }
            ix.lens
                .push(sk.chars().count().min(u16::MAX as usize) as u16);
            let span = ix.skeletons.spans.len();
            ix.skeletons
                .spans
                .push((start as u32, ix.skeletons.arena.len() as u32));
            // Empty skeletons are not indexed.
            ranges.push(if sk.is_empty() {
                span..span
            } else {
                span..span + 1
            });
            let c0 = cons.arena.len();
            cons.arena.extend(consonants(sk));
            let enough = cons.arena[c0..]
                .chars()
                .filter(|c| c.is_alphabetic())
                .count()
                >= 3;
            cons.spans.push((c0 as u32, cons.arena.len() as u32));
            cons_ranges.push(if enough { span..span + 1 } else { span..span });
        }
        ix.by_skeleton = NameIndex::build(ix.skeletons.arena.clone(), &ix.skeletons.spans, &ranges);
        ix.by_consonants = NameIndex::build(cons.arena, &cons.spans, &cons_ranges);
        ix
    }

    /// Name-index entries whose skeleton is exactly `sk`.
    fn exact(&self, sk: &str) -> &[usize] {
        self.by_skeleton.get(sk).map(|(_, v)| v).unwrap_or(&[])
    }

    /// Entries whose skeleton has the same consonants as `sk`, in order
    /// ([`consonants`]): "Jabiliya" and "Jabalya" both read j-b-l. Names of
    /// fewer than three consonants are not indexed.
    fn same_consonants(&self, sk: &str) -> &[usize] {
        let key: String = consonants(sk).collect();
        self.by_consonants.get(&key).map(|(_, v)| v).unwrap_or(&[])
    }

    /// Entries whose skeleton is close to `sk`, with their similarity.
    fn fuzzy(&self, sk: &str) -> Vec<(u32, f64)> {
        let n = sk.chars().count();
        if n < 3 {
            return Vec::new();
        }
        let band = (n / 4).max(2);
        let mut chars = sk.chars();
        let first = chars.next().expect("n >= 3");
        let second = (chars.next().expect("n >= 3"), chars.next().expect("n >= 3"));
        let a = self.by_first.get(&first).map(Vec::as_slice).unwrap_or(&[]);
        let b = self
            .by_second
            .get(&second)
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        let mut out = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for &e in a.iter().chain(b) {
            let m = self.lens[e as usize] as usize;
            if m.abs_diff(n) > band || !seen.insert(e) {
                continue;
            }
            let sim = strsim::jaro_winkler(sk, self.skeletons.key(e as usize));
            if sim >= MIN_SIMILARITY {
                out.push((e, sim));
            }
        }
        out
    }
}

/// The letters of a skeleton without its vowels after the first letter
/// (spaces and other characters kept): "jabalia" -> "jbl".
fn consonants(sk: &str) -> impl Iterator<Item = char> + '_ {
    sk.chars()
        .enumerate()
        .filter(|&(i, c)| i == 0 || !matches!(c, 'a' | 'e' | 'i' | 'o' | 'u'))
        .map(|(_, c)| c)
}

impl Gazetteer {
    fn fuzzy_index(&self) -> &FuzzyIndex {
        self.fuzzy.get_or_init(|| FuzzyIndex::build(self))
    }

    /// Find places by a name as a user would type it: case, diacritic and
    /// script insensitive, tolerant of small misspellings. At most `limit`
    /// results, best first (score, then [`precedence`]); one per place.
    ///
    /// The first call builds a fuzzy index (tens of milliseconds for a large
    /// gazetteer); later calls reuse it.
    pub fn lookup(&self, query: &str, limit: usize) -> Vec<Candidate> {
        self.lookup_preferring(query, limit, &Preference::default())
    }

    /// [`Gazetteer::lookup`], ranking equal scores by the preference first,
    /// then places with a name spelled exactly like the query (ignoring
    /// case: "Şuşa" before "Susa" though both normalize to "susa"), then
    /// [`precedence`].
    pub fn lookup_preferring(
        &self,
        query: &str,
        limit: usize,
        pref: &Preference,
    ) -> Vec<Candidate> {
        let q = normalize(query);
        if q.is_empty() || limit == 0 {
            return Vec::new();
        }
        // place -> (score, normalized key that matched)
        let mut best: HashMap<PlaceIdx, (f64, &str)> = HashMap::new();
        let mut owned_keys: Vec<&str> = Vec::new();
        if let Some((k, v)) = self.by_name.get(&q) {
            for &i in v {
                offer(&mut best, i, EXACT, k);
            }
        }
        let ix = self.fuzzy_index();
        let sk = skeleton(&q);
        let q_latin = to_latin(&q);
        let latin_sim = |key: &str| strsim::jaro_winkler(&q_latin, &to_latin(key));
        for &e in ix.exact(&sk) {
            owned_keys.push(self.by_name.key_at(e));
        }
        for key in owned_keys {
            let skeleton_score = SKELETON - 0.05 * (1.0 - latin_sim(key));
            for &i in self.candidates(key) {
                offer(&mut best, i, skeleton_score, key);
            }
        }
        for (e, sim) in ix.fuzzy(&sk) {
            let key = self.by_name.key_at(e as usize);
            let fuzzy_score = FUZZY_FACTOR * (sim + latin_sim(key)) / 2.0;
            for &i in self.candidates(key) {
                offer(&mut best, i, fuzzy_score, key);
            }
        }
        let q_lower = query.trim().to_lowercase();
        let literal = |i: PlaceIdx| {
            let p = &self.places[i];
            !std::iter::once(&p.name)
                .chain(&p.names)
                .any(|n| n.to_lowercase() == q_lower)
        };
        let mut out: Vec<(PlaceIdx, f64, &str)> =
            best.into_iter().map(|(i, (s, k))| (i, s, k)).collect();
        out.sort_by(|a, b| {
            b.1.total_cmp(&a.1)
                .then_with(|| {
                    pref.rank(&self.places[a.0])
                        .cmp(&pref.rank(&self.places[b.0]))
                })
                .then_with(|| literal(a.0).cmp(&literal(b.0)))
                .then_with(|| precedence(&self.places[a.0], &self.places[b.0]))
        });
        out.truncate(limit);
        out.into_iter()
            .map(|(idx, score, key)| Candidate {
                idx,
                score,
                matched: self.alias_for(idx, key),
            })
            .collect()
    }

    /// Places with a name spelled like `query` up to script, romanization
    /// and doubled letters (the same skeleton, see [`skeleton`]), without
    /// the slower similarity search of [`Gazetteer::lookup`]. Each place once.
    pub fn spelling_variants(&self, query: &str) -> Vec<PlaceIdx> {
        let sk = skeleton(&normalize(query));
        let mut out: Vec<PlaceIdx> = Vec::new();
        if sk.is_empty() {
            return out;
        }
        for &e in self.fuzzy_index().exact(&sk) {
            for &i in self.candidates(self.by_name.key_at(e)) {
                if !out.contains(&i) {
                    out.push(i);
                }
            }
        }
        out
    }

    /// Places with a name whose consonants are those of `query`, in order,
    /// vowels aside ("Jabiliya", "Jebaliya" -> "Jabalya"): romanizations of
    /// Arabic, Persian or Pashto names differ mostly in their vowels. A
    /// looser guess than [`Gazetteer::spelling_variants`]; the caller must
    /// narrow it to where the article is. Each place once.
    pub fn consonant_variants(&self, query: &str) -> Vec<PlaceIdx> {
        let sk = skeleton(&normalize(query));
        let ix = self.fuzzy_index();
        let mut out: Vec<PlaceIdx> = Vec::new();
        for &e in ix.same_consonants(&sk) {
            for &i in self.candidates(self.by_name.key_at(e)) {
                if !out.contains(&i) {
                    out.push(i);
                }
            }
        }
        out
    }

    /// The name or alias of a place that normalizes to `key`.
    fn alias_for(&self, idx: PlaceIdx, key: &str) -> String {
        let p = &self.places[idx];
        std::iter::once(&p.name)
            .chain(&p.names)
            .find(|n| normalize(n) == key)
            .unwrap_or(&p.name)
            .clone()
    }
}

/// Format lookup results as a table: score, id, name, kind, country, lat,
/// lon, matched alias.
pub fn format_candidates(g: &Gazetteer, found: &[Candidate]) -> String {
    format_candidates_with(g, found, &[])
}

/// [`format_candidates`] with extra columns after `matched`: each a header
/// and one cell per candidate.
pub fn format_candidates_with(
    g: &Gazetteer,
    found: &[Candidate],
    extra: &[(&str, Vec<String>)],
) -> String {
    let mut head: Vec<String> = [
        "score", "id", "name", "kind", "country", "lat", "lon", "matched",
    ]
    .map(String::from)
    .to_vec();
    head.extend(extra.iter().map(|(h, _)| h.to_string()));
    let mut rows: Vec<Vec<String>> = vec![head];
    for (k, c) in found.iter().enumerate() {
        let p = &g.places[c.idx];
        let mut row = vec![
            format!("{:.3}", c.score),
            p.id.clone(),
            p.name.clone(),
            p.kind.as_str().to_string(),
            p.country.clone(),
            format!("{:.5}", p.lat),
            format!("{:.5}", p.lon),
            c.matched.clone(),
        ];
        row.extend(
            extra
                .iter()
                .map(|(_, cells)| cells.get(k).cloned().unwrap_or_default()),
        );
        rows.push(row);
    }
    let mut widths = vec![0usize; rows[0].len()];
    for r in &rows {
        for (w, cell) in widths.iter_mut().zip(r) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for r in &rows {
        let mut line = String::new();
        for (i, cell) in r.iter().enumerate() {
            if i + 1 < r.len() {
                line.push_str(cell);
                line.push_str(&" ".repeat(widths[i] - cell.chars().count() + 2));
            } else {
                line.push_str(cell);
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// Keep the best score (and the key that gave it) per place.
fn offer<'a>(
    best: &mut HashMap<PlaceIdx, (f64, &'a str)>,
    idx: PlaceIdx,
    score: f64,
    key: &'a str,
) {
    let e = best.entry(idx).or_insert((score, key));
    if score > e.0 {
        *e = (score, key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gazetteer::{SourceFile, PLACES_HEADER};

    fn small() -> Gazetteer {
        let text = format!(
            "{PLACES_HEADER}\n\
             gn-146970\tKhankendi\ttown\tAZ\tKhankendi\t39.8177\t46.7528\t55000\tStepanakert|Xankəndi|Ստեփանակերտ|Степанакерт\tt\n\
             gn-147105\tShusha\ttown\tAZ\tShusha\t39.76006\t46.74989\t4000\tShushi|Şuşa|Շուշի|Шуша\tt\n\
             gn-1\tStepanavan\ttown\tAM\tLori\t41.00995\t44.38531\t13000\t\tt\n"
        );
        let (g, probs) = Gazetteer::from_sources(&[SourceFile {
            path: "places/t.tsv",
            contents: &text,
        }]);
        assert!(probs.is_empty(), "{probs:?}");
        g
    }

    #[test]
    fn variants_find_the_right_place() {
        let g = small();
        let cases = [
            ("Stepanakert", "gn-146970", EXACT),
            ("Khankendi", "gn-146970", EXACT),
            ("Xankəndi", "gn-146970", EXACT),
            ("Ստեփանակերտ", "gn-146970", EXACT),
            ("Степанакерт", "gn-146970", EXACT),
            ("Khankandi", "gn-146970", 0.0),
            ("Stepanakerd", "gn-146970", 0.0),
            ("Shusa", "gn-147105", 0.0),
            ("Shushi", "gn-147105", EXACT),
            ("SHUSHA", "gn-147105", EXACT),
            ("Шуши", "gn-147105", SKELETON),
        ];
        for (q, id, min) in cases {
            let r = g.lookup(q, 3);
            assert!(!r.is_empty(), "{q}: no result");
            assert_eq!(g.places[r[0].idx].id, id, "{q}: {r:?}");
            assert!(r[0].score >= min && r[0].score > 0.8, "{q}: {r:?}");
        }
    }

    #[test]
    fn unrelated_names_do_not_match() {
        let g = small();
        assert!(g.lookup("Moscow", 5).is_empty());
        assert!(g.lookup("", 5).is_empty());
    }

    #[test]
    fn matched_is_the_alias_as_written() {
        let g = small();
        let r = g.lookup("XANKANDI", 1);
        assert_eq!(r[0].matched, "Xankəndi");
    }
}
