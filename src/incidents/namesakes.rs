//! Stage "namesakes" (after disambiguation, before incidents): place names
//! that, in this article, are not the place the gazetteer found.
//!
//! - A word of the `never-alone` list ("Grad", "Mission") names a weapon or
//!   a common noun; it is a place only as "the village of Grad".
//! - A town abroad ("Kut" -> Al-Kut in Iraq in a report on Armenia): a
//!   place whose country nothing else in the article supports (no other
//!   place there, no demonym, no country name) and that lies more than
//!   [`FAR_KM`] from every place of the countries the article does name is
//!   a namesake of a place the gazetteer lacks. The mention is dropped, so it neither makes
//!   an incident nor anchors others.

use crate::gazetteer::{FastMap, FastSet};

use crate::gazetteer::{Gazetteer, Place, PlaceKind};
use crate::places::{Mention, Target};

use super::haversine_km;

/// Farther than this from every place of the countries the article names
/// is "far".
pub const FAR_KM: f64 = 300.0;

/// A city of at least this many people is never taken for a namesake.
pub const BIG_CITY: u64 = 1_000_000;

/// Why a mention was dropped (for `explain`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Dropped {
    /// In the `never-alone` list and not introduced by a place noun.
    NeverAlone,
    /// Far from the article's other places, in a country nothing supports.
    FarNamesake { km: u32 },
}

/// Word lists the stage reads, lowercased.
pub struct Lists {
    pub(crate) never_alone: FastSet<&'static str>,
    pub(crate) place_nouns: FastSet<&'static str>,
}

impl Lists {
    /// From the vocabulary in use.
    pub fn from_vocab() -> Lists {
        let v = crate::vocab::get();
        Lists {
            never_alone: v.phrases("never-alone").into_iter().collect(),
            place_nouns: v.phrases("place-nouns").into_iter().collect(),
        }
    }
}

/// Drop the mentions that are namesakes here; returns each dropped mention
/// with its reason, in text order.
pub fn drop_namesakes(
    g: &Gazetteer,
    text: &str,
    mentions: &mut Vec<Mention>,
    lists: &Lists,
) -> Vec<(Mention, Dropped)> {
    let ctx = Context::new(g, mentions);
    let reasons: Vec<Option<Dropped>> = (0..mentions.len())
        .map(|i| judge(g, text, mentions, i, lists, &ctx))
        .collect();
    let mut dropped = Vec::new();
    let mut k = 0;
    mentions.retain(|m| {
        let r = reasons[k].clone();
        k += 1;
        match r {
            Some(why) => {
                dropped.push((m.clone(), why));
                false
            }
            None => true,
        }
    });
    dropped
}

/// What the article says, read once: each mention's lowercased text, the
/// countries it names, the names it places in each country, and its places
/// in the named countries (each once).
struct Context<'g> {
    lower: Vec<String>,
    named: FastSet<&'g str>,
    names_in: FastMap<&'g str, FastSet<String>>,
    anchors: Vec<(usize, &'g Place)>,
}

impl<'g> Context<'g> {
    fn new(g: &'g Gazetteer, mentions: &'g [Mention]) -> Context<'g> {
        let lower: Vec<String> = mentions.iter().map(|m| m.text.to_lowercase()).collect();
        let named: FastSet<&str> = mentions
            .iter()
            .filter_map(|o| match &o.target {
                Target::Demonym(c) => Some(c.as_str()),
                Target::Places(c) => c
                    .first()
                    .map(|&q| &g.places[q])
                    .filter(|q| q.kind == PlaceKind::Country)
                    .map(|q| q.country.as_str()),
            })
            .collect();
        let mut names_in: FastMap<&str, FastSet<String>> = FastMap::default();
        let mut anchors = Vec::new();
        let mut seen = FastSet::default();
        for (k, m) in mentions.iter().enumerate() {
            let Some(q) = m.place() else { continue };
            let place = &g.places[q];
            names_in
                .entry(place.country.as_str())
                .or_default()
                .insert(lower[k].clone());
            if named.contains(place.country.as_str()) && seen.insert((q, lower[k].as_str())) {
                anchors.push((k, place));
            }
        }
        drop(seen);
        Context {
            lower,
            named,
            names_in,
            anchors,
        }
    }
}

fn judge(
    g: &Gazetteer,
    text: &str,
    mentions: &[Mention],
    i: usize,
    lists: &Lists,
    ctx: &Context<'_>,
) -> Option<Dropped> {
    let m = &mentions[i];
    let p = &g.places[m.place()?];
    let own = ctx.lower[i].as_str();
    if lists.never_alone.contains(own) && !after_place_noun(text, m.start, lists) {
        return Some(Dropped::NeverAlone);
    }
    // Areas are named on purpose, and a capital or a city of millions is
    // that city wherever it is named.
    if matches!(
        p.kind,
        PlaceKind::Country | PlaceKind::Region | PlaceKind::Admin1 | PlaceKind::Capital
    ) || p.country.is_empty()
        || p.population >= BIG_CITY
    {
        return None;
    }
    // Another place of the article in the same country supports it, and so
    // does a country the article names.
    let supported = ctx
        .names_in
        .get(p.country.as_str())
        .is_some_and(|names| names.iter().any(|n| n != own));
    if supported || ctx.named.contains(p.country.as_str()) {
        return None;
    }
    // Far from every place of the named countries.
    let km = ctx
        .anchors
        .iter()
        .filter(|(k, _)| ctx.lower[*k] != own)
        .map(|(_, q)| haversine_km(p.lat, p.lon, q.lat, q.lon))
        .fold(f64::INFINITY, f64::min);
    (km.is_finite() && km > FAR_KM).then_some(Dropped::FarNamesake { km: km as u32 })
}

/// "the village of Grad", "the town of Mission": a place noun and "of"
/// right before `start`.
fn after_place_noun(text: &str, start: usize, lists: &Lists) -> bool {
    // Only the last two words before `start` count, so only a tail of the
    // text is lowercased (not all of it for each mention: quadratic in long
    // articles). The tail starts right after a whitespace character: that
    // separates words and is no context of any lowercasing (final sigma), so
    // the tail's last two words are those of the whole lowercased prefix.
    let mut reach = 64;
    loop {
        let from = tail_start(text, start, reach);
        let before = text[from..start].to_lowercase();
        let mut words = before
            .split(|c: char| !c.is_alphanumeric() && c != '-')
            .filter(|w| !w.is_empty())
            .rev();
        let last = (words.next(), words.next());
        if last.1.is_some() || from == 0 {
            return matches!(last, (Some("of"), Some(noun)) if lists.place_nouns.contains(noun));
        }
        reach *= 4;
    }
}

/// 0 when `start` is at most `reach` bytes, else the position right after
/// the last whitespace character at least `reach` bytes before `start` (0
/// when there is none).
fn tail_start(text: &str, start: usize, reach: usize) -> usize {
    if start <= reach {
        return 0;
    }
    let mut i = start - reach;
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    text[..i]
        .char_indices()
        .rev()
        .find(|(_, c)| c.is_whitespace())
        .map_or(0, |(p, c)| p + c.len_utf8())
}

#[cfg(test)]
mod tests {
    use crate::incidents::testutil::places_of;

    /// Sentences written for this test: weapon names and far namesakes make
    /// no incident place; the same names as places do.
    #[test]
    fn namesakes_table() {
        let table: &[(&str, &str, bool)] = &[
            (
                "Troops fired Grad rockets at Tartar on Monday, the ministry said.",
                "Grad",
                false,
            ),
            (
                "Shells hit the village of Grad on Monday, the ministry said.",
                "Grad",
                true,
            ),
            (
                "Azerbaijani troops shelled Goris and Mission on Monday, wounding two.",
                "Mission",
                false,
            ),
            (
                "Gunmen attacked a market in Muncie on Monday, Indiana police said, killing two.",
                "Muncie",
                true,
            ),
            (
                "Armenian positions near Vardenis and Muncie came under fire on Monday.",
                "Muncie",
                false,
            ),
        ];
        for (text, name, kept) in table {
            let got = places_of(text);
            assert_eq!(
                got.iter().any(|p| p.contains(name)),
                *kept,
                "{text:?}: {got:?}"
            );
        }
    }
}
