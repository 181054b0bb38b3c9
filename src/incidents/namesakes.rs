//! Stage "namesakes" (after disambiguation, before incidents): place names
//! that, in this article, are not the place the gazetteer found.
//!
//! - The article's focus countries (those it names by name or adjective,
//!   and those of its places that have no namesake abroad) come first: a
//!   candidate in one of them wins; when none is, the candidate nearest to
//!   them does ("Azerbaijani forces shelled Kut": Armenia's Kut, not Iraq's
//!   Al-Kut). A capital or a city of millions named by its own name stays.
//! - A word of the `never-alone` list ("Grad", "Mission") names a weapon or
//!   a common noun; it is a place only as "the village of Grad", or after a
//!   locative word ("in Mission") when the article supports its country
//!   ("in Mission, Texas").
//! - A town abroad ("Kut" -> Al-Kut in Iraq in a report on Armenia): a
//!   place whose country nothing else in the article supports (no other
//!   place there, no demonym, no country name) and that lies more than
//!   [`FAR_KM`] from every place of the countries the article does name is
//!   a namesake of a place the gazetteer lacks. When the article names no
//!   place in those countries, such a place more than [`VERY_FAR_KM`] from
//!   its focus countries (their points and admin units) needs its name as
//!   written and a locative word before it ("Armenian soldier Hayk
//!   Petrosyan" is no town in Ethiopia). The mention is dropped, so it
//!   neither makes an incident nor anchors others.

use std::collections::HashSet;

use crate::gazetteer::{FastMap, FastSet};

use crate::gazetteer::{Gazetteer, Place, PlaceIdx, PlaceKind};
use crate::places::{Mention, Target};

use super::haversine_km;

/// Farther than this from every place of the countries the article names
/// is "far".
pub const FAR_KM: f64 = 300.0;

/// Farther than this from the countries the article names (when it names
/// no place in them) is "very far".
pub const VERY_FAR_KM: f64 = 1500.0;

/// A candidate abroad replaces the chosen one only when it is this much
/// nearer to the focus countries.
pub const NEARER_KM: f64 = 200.0;

/// A city of at least this many people is never taken for a namesake.
pub const BIG_CITY: u64 = 1_000_000;

/// Why a mention was dropped (for `explain`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Dropped {
    /// In the `never-alone` list and not introduced by a place noun.
    NeverAlone,
    /// Far from the article's other places, in a country nothing supports.
    FarNamesake { km: u32 },
    /// Found under a name that is no spelling of the place's own (an old
    /// name of a far city: "Stanislav" for Ivano-Frankivsk), far from every
    /// other place of the article in that country: a village of that name.
    FarOtherName { km: u32 },
}

/// Word lists the stage reads, lowercased.
pub struct Lists {
    pub(crate) never_alone: FastSet<&'static str>,
    pub(crate) place_nouns: FastSet<&'static str>,
    pub(crate) locative_before: FastSet<&'static str>,
}

impl Lists {
    /// Whether `word` (lowercased) is in the never-alone list.
    pub fn is_never_alone(&self, word: &str) -> bool {
        self.never_alone.contains(word)
    }

    /// From the vocabulary in use.
    pub fn from_vocab() -> Lists {
        let v = crate::vocab::get();
        Lists {
            never_alone: v.phrases("never-alone").into_iter().collect(),
            place_nouns: v.phrases("place-nouns").into_iter().collect(),
            locative_before: v.phrases("locative-before").into_iter().collect(),
        }
    }
}

/// Drop the mentions that are namesakes here; returns each dropped mention
/// with its reason, in text order. Candidates of the kept mentions may be
/// reordered (focus countries first).
pub fn drop_namesakes(
    g: &Gazetteer,
    text: &str,
    mentions: &mut Vec<Mention>,
    lists: &Lists,
) -> Vec<(Mention, Dropped)> {
    let focus = Focus::new(g, mentions);
    prefer_focus(g, mentions, &focus);
    let ctx = Context::new(g, mentions);
    let reasons: Vec<Option<Dropped>> = (0..mentions.len())
        .map(|i| judge(g, text, mentions, i, lists, &ctx, &focus))
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

/// The countries an article is about and points standing for them.
pub struct Focus {
    /// Countries named (by name or adjective), and those of places whose
    /// every candidate lies in one country.
    pub countries: HashSet<String>,
    /// Each focus country and its admin units, computed on first use.
    areas: std::cell::OnceCell<Vec<PlaceIdx>>,
}

impl Focus {
    fn new(g: &Gazetteer, mentions: &[Mention]) -> Focus {
        let mut countries = HashSet::new();
        for m in mentions {
            match &m.target {
                Target::Demonym(c) if !c.is_empty() => {
                    countries.insert(c.clone());
                }
                Target::Places(c) if !c.is_empty() => {
                    let first = &g.places[c[0]];
                    let one_country = first.kind == PlaceKind::Country
                        || c.iter().all(|&i| g.places[i].country == first.country);
                    if one_country && !first.country.is_empty() {
                        countries.insert(first.country.clone());
                    }
                }
                _ => {}
            }
        }
        Focus::of(countries)
    }

    /// A focus of the given countries (ISO codes, uppercase).
    pub fn of(countries: HashSet<String>) -> Focus {
        Focus {
            countries,
            areas: std::cell::OnceCell::new(),
        }
    }

    fn areas(&self, g: &Gazetteer) -> &[PlaceIdx] {
        self.areas.get_or_init(|| {
            let mut v: Vec<PlaceIdx> = self
                .countries
                .iter()
                .flat_map(|c| g.areas_of(c).iter().copied())
                .collect();
            v.sort_unstable();
            v
        })
    }

    /// Distance from `p` to the nearest point (the country's own, or one of
    /// its admin units') of a focus country other than `p`'s; infinite when
    /// there is none.
    pub fn km(&self, g: &Gazetteer, p: &Place) -> f64 {
        self.areas(g)
            .iter()
            .map(|&i| &g.places[i])
            .filter(|q| q.country != p.country)
            .map(|q| haversine_km(p.lat, p.lon, q.lat, q.lon))
            .fold(f64::INFINITY, f64::min)
    }
}

/// `written` is the place's name or one of its aliases, ignoring case only.
fn exact_name(p: &Place, written: &str) -> bool {
    let w = written.to_lowercase();
    std::iter::once(&p.name)
        .chain(&p.names)
        .any(|n| n.to_lowercase() == w)
}

/// Stage "other name far": the distance from `p` to the nearest other place
/// the article names in `p`'s country, when the mention's text is not a
/// spelling of `p`'s own name and that distance is over [`FAR_KM`].
fn far_under_other_name(
    g: &Gazetteer,
    mentions: &[Mention],
    i: usize,
    ctx: &Context<'_>,
    p: &Place,
) -> Option<f64> {
    let own = ctx.lower[i].as_str();
    let km = mentions
        .iter()
        .enumerate()
        .filter(|&(k, _)| ctx.lower[k] != own)
        .filter_map(|(_, m)| m.place().map(|q| &g.places[q]))
        .filter(|q| q.country == p.country && q.kind != PlaceKind::Country)
        .map(|q| haversine_km(p.lat, p.lon, q.lat, q.lon))
        .fold(f64::INFINITY, f64::min);
    // A name in another script is the place's name in that language
    // ("Горловки" for Horlivka, with a case ending), never an old name.
    let latin = !mentions[i]
        .text
        .chars()
        .any(|c| c.is_alphabetic() && c as u32 >= 0x370);
    (latin && km.is_finite() && km > FAR_KM && !spelled_as(&mentions[i].text, &p.name))
        .then_some(km)
}

/// Whether `written` spells `name` (up to script, romanization and a few
/// letters, or without an article: "Ivano-Frankovsk" spells Ivano-Frankivsk
/// and "Qamishli" Al Qamishli, "Stanislav" does not spell Ivano-Frankivsk).
fn spelled_as(written: &str, name: &str) -> bool {
    let key = |s: &str| crate::gazetteer::skeleton(&crate::gazetteer::normalize(s));
    let (w, n) = (key(written), key(name));
    // "Qamishli" for "Al Qamishli": one holds the other
    let (short, long) = if w.len() <= n.len() {
        (&w, &n)
    } else {
        (&n, &w)
    };
    (short.len() >= 4 && long.contains(short.as_str()))
        || strsim::jaro_winkler(&w, &n) >= SPELLING_SIMILARITY
}

/// Skeletons at least this similar (Jaro-Winkler) are one name spelled two ways.
const SPELLING_SIMILARITY: f64 = 0.85;

/// Areas are named on purpose, and a capital or a city of millions is that
/// city wherever it is named: never dropped as a namesake.
fn never_namesake(p: &Place) -> bool {
    matches!(
        p.kind,
        PlaceKind::Country | PlaceKind::Region | PlaceKind::Admin1 | PlaceKind::Capital
    ) || p.country.is_empty()
        || p.population >= BIG_CITY
}

/// A place that keeps its rank wherever it is named: countries and named
/// regions, and a capital or a city of millions named by its own name.
fn stands_anywhere(p: &Place, written: &str) -> bool {
    matches!(p.kind, PlaceKind::Country | PlaceKind::Region)
        || p.country.is_empty()
        || ((p.kind == PlaceKind::Capital || p.population >= BIG_CITY)
            && p.name.to_lowercase() == written.to_lowercase())
}

/// The candidate of `candidates` an article with this focus chooses: the
/// first one in a focus country, else the one nearest to the focus
/// countries when it is [`NEARER_KM`] nearer than the first, else the first.
/// `written` is the name as the article writes it.
pub fn choose(g: &Gazetteer, candidates: &[PlaceIdx], written: &str, focus: &Focus) -> usize {
    let Some(&first) = candidates.first() else {
        return 0;
    };
    let p = &g.places[first];
    if focus.countries.is_empty()
        || focus.countries.contains(&p.country)
        || stands_anywhere(p, written)
    {
        return 0;
    }
    if let Some(k) = candidates
        .iter()
        .position(|&i| focus.countries.contains(&g.places[i].country))
    {
        return k;
    }
    let d0 = focus.km(g, p);
    let best = candidates
        .iter()
        .enumerate()
        .filter(|(_, &i)| g.places[i].country != p.country)
        .map(|(k, &i)| (k, focus.km(g, &g.places[i])))
        .min_by(|a, b| a.1.total_cmp(&b.1));
    match best {
        Some((k, d)) if d + NEARER_KM < d0 => k,
        _ => 0,
    }
}

/// How an article about one country ranks the places of a name (`eventmap
/// gazetteer lookup NAME --near CC`).
#[derive(Debug, Clone, PartialEq)]
pub struct NearRanking {
    /// Each candidate with its distance to the country (0 inside it): the
    /// one chosen first, then those in the country, then the nearest.
    pub ranked: Vec<(PlaceIdx, f64)>,
    /// The choice, unless the name resolves to nothing there.
    pub chosen: Option<PlaceIdx>,
    /// The choice lies more than [`VERY_FAR_KM`] away in another country: it
    /// holds only with a locative word before the name ("in Hayk").
    pub needs_cue: bool,
}

/// Rank `candidates` (the places of `written`, in the gazetteer's order) as
/// an article that names `country` (ISO code) and no place would.
pub fn rank_near(
    g: &Gazetteer,
    candidates: &[PlaceIdx],
    written: &str,
    country: &str,
) -> NearRanking {
    let country = country.to_ascii_uppercase();
    let focus = Focus::of(HashSet::from([country.clone()]));
    let km = |i: PlaceIdx| {
        let p = &g.places[i];
        if p.country == country {
            0.0
        } else {
            focus.km(g, p)
        }
    };
    let mut ranked: Vec<(PlaceIdx, f64)> = candidates.iter().map(|&i| (i, km(i))).collect();
    // Disambiguation puts a named country's places first.
    ranked.sort_by_key(|&(i, _)| g.places[i].country != country);
    let order: Vec<PlaceIdx> = ranked.iter().map(|x| x.0).collect();
    let chosen = order.get(choose(g, &order, written, &focus)).copied();
    ranked.sort_by(|a, b| {
        (Some(b.0) == chosen)
            .cmp(&(Some(a.0) == chosen))
            .then(a.1.total_cmp(&b.1))
    });
    let far = chosen.filter(|&i| {
        let p = &g.places[i];
        p.country != country && !never_namesake(p) && km(i) > VERY_FAR_KM
    });
    let exact = far.is_some_and(|i| exact_name(&g.places[i], written));
    NearRanking {
        ranked,
        chosen: if far.is_some() && !exact {
            None
        } else {
            chosen
        },
        needs_cue: exact,
    }
}

/// Move each mention's chosen candidate to the front.
fn prefer_focus(g: &Gazetteer, mentions: &mut [Mention], focus: &Focus) {
    for m in mentions.iter_mut() {
        let Target::Places(c) = &mut m.target else {
            continue;
        };
        if c.len() < 2 {
            continue;
        }
        let k = choose(g, c, &m.text, focus);
        if k > 0 {
            let i = c.remove(k);
            c.insert(0, i);
        }
    }
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
    focus: &Focus,
) -> Option<Dropped> {
    let m = &mentions[i];
    let p = &g.places[m.place()?];
    let own = ctx.lower[i].as_str();
    // Another place of the article in the same country supports it, and so
    // does a country the article names.
    let supported = ctx
        .names_in
        .get(p.country.as_str())
        .is_some_and(|names| names.iter().any(|n| n != own))
        || ctx.named.contains(p.country.as_str());
    let cue = || locative_before(text, m.start, lists);
    if lists.never_alone.contains(own)
        && !after_place_noun(text, m.start, lists)
        && !(supported && cue())
    {
        return Some(Dropped::NeverAlone);
    }
    if never_namesake(p) {
        return None;
    }
    if supported {
        return far_under_other_name(g, mentions, i, ctx, p)
            .map(|km| Dropped::FarOtherName { km: km as u32 });
    }
    // Far from every place of the named countries.
    let km = ctx
        .anchors
        .iter()
        .filter(|(k, _)| ctx.lower[*k] != own)
        .map(|(_, q)| haversine_km(p.lat, p.lon, q.lat, q.lon))
        .fold(f64::INFINITY, f64::min);
    if km.is_finite() {
        return (km > FAR_KM).then_some(Dropped::FarNamesake { km: km as u32 });
    }
    // No place of the named countries: very far from the focus countries
    // needs the name as written and a locative word.
    let km = focus.km(g, p);
    (km.is_finite() && km > VERY_FAR_KM && !(exact_name(p, &m.text) && cue()))
        .then_some(Dropped::FarNamesake { km: km as u32 })
}

/// At most the 80 bytes of `text` before `start` (whole characters).
fn tail(text: &str, start: usize) -> &str {
    let mut from = start.saturating_sub(80);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    &text[from..start]
}

/// "in Mission", "near Kut", "shelled Kut": a word of the `locative-before`
/// list, or a place noun and "of", right before `start`.
fn locative_before(text: &str, start: usize, lists: &Lists) -> bool {
    let before = tail(text, start).to_lowercase();
    let last = before
        .split(|c: char| !c.is_alphanumeric() && c != '-')
        .rfind(|w| !w.is_empty());
    last.is_some_and(|w| lists.locative_before.contains(w)) || after_place_noun(text, start, lists)
}

/// "the village of Grad", "the town of Mission": a place noun and "of"
/// right before `start`.
fn after_place_noun(text: &str, start: usize, lists: &Lists) -> bool {
    let before = tail(text, start).to_lowercase();
    let mut words = before
        .split(|c: char| !c.is_alphanumeric() && c != '-')
        .filter(|w| !w.is_empty())
        .rev();
    matches!(
        (words.next(), words.next()),
        (Some("of"), Some(noun)) if lists.place_nouns.contains(noun)
    )
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
            // An old name of a far city is a village here (Stanislav is an
            // old name of Ivano-Frankivsk, 600 km from Kherson).
            (
                "A drone hit a car on the road near Stanislav in Kherson region on Friday.",
                "Ivano-Frankivsk",
                false,
            ),
            // A spelling of the city's own name is the city.
            (
                "A drone hit a car in Ivano-Frankovsk on Friday, officials in Kherson region said.",
                "Ivano-Frankivsk",
                true,
            ),
            // A compass word that names a first-level unit far away.
            (
                "Shells hit Goris on Monday. Eastern villages were shelled on Monday too.",
                "Eastern",
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
