//! A fused event's properties, from its reports.
//!
//! - `event_id`: `ev-` and 16 hex digits of a hash (64-bit FNV-1a) of the
//!   sorted member incident ids, so it depends on the members only.
//! - date: the earliest of the most precisely dated members.
//! - place: the most precise member's (the place most articles name among
//!   equals, then the smallest gazetteer id).
//! - type: the sub-event type most articles give; an even split takes the
//!   `tie` of `fusion-types.tsv`.
//! - fatalities: the lowest figure reported (CODEBOOK section 5), with the
//!   lowest and highest across the reports; injured likewise.
//! - actor1: the actor most often named as acting; actor2: the other actor
//!   most often named (so "A shelled B" and "B shelled A" give A and B).
//! - lists (`publishers`, `source_files`, `urls`, `reported_by`,
//!   `incident_ids`): sorted, distinct, joined by "; ".
//! - evidence: the distinct sentences with their articles, at most
//!   [`MAX_EVENT_EVIDENCE`] characters.
//!
//! An event of a single earlier event is that event unchanged.

use std::collections::BTreeMap;

use super::fuse::{Group, Join};
use super::unit::{Collector, Sym, Unit};
use super::TypeTable;
use crate::record::DatePrecision;

/// Characters of an event's evidence at most (before the "+n more" note).
pub const MAX_EVENT_EVIDENCE: usize = 1200;

/// One fused event.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub event_id: String,
    pub event_date: Option<String>,
    pub date_precision: DatePrecision,
    pub event_type: String,
    pub sub_event_type: String,
    pub location: String,
    pub gazetteer_id: String,
    pub geo_precision: u8,
    /// (lon, lat)
    pub point: (f64, f64),
    pub country: Option<String>,
    pub admin1: Option<String>,
    pub fatalities: Option<u32>,
    pub fatalities_low: Option<u32>,
    pub fatalities_high: Option<u32>,
    pub injured: Option<u32>,
    pub injured_low: Option<u32>,
    pub injured_high: Option<u32>,
    pub actor1: Option<String>,
    pub actor2: Option<String>,
    /// Distinct articles.
    pub sources: usize,
    pub publishers: Vec<String>,
    pub source_files: Vec<String>,
    pub urls: Vec<String>,
    pub reported_by: Vec<String>,
    pub incident_ids: Vec<String>,
    pub evidence: String,
    pub fusion_note: String,
}

/// 64-bit FNV-1a (stable across platforms and Rust versions).
fn fnv1a(parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            h ^= u64::from(b'\n');
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        for b in p.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

/// The id of the event of these incident ids (sorted, distinct).
pub fn event_id(ids: &[&str]) -> String {
    format!("ev-{:016x}", fnv1a(ids))
}

/// Sorted distinct strings of the members' lists.
fn union(c: &Collector, us: &[&Unit], f: impl Fn(&Unit) -> &[Sym]) -> Vec<String> {
    let mut v: Vec<&str> = us
        .iter()
        .flat_map(|u| f(u).iter().map(|s| c.str(*s)))
        .collect();
    v.sort_unstable();
    v.dedup();
    v.into_iter().map(str::to_string).collect()
}

/// Lowest figure, lowest and highest of the range, over the members.
fn tolls(us: &[&Unit], f: impl Fn(&Unit) -> [Option<u32>; 3]) -> [Option<u32>; 3] {
    let mut out: [Option<u32>; 3] = [None, None, None];
    for u in us {
        let [n, lo, hi] = f(u);
        out[0] = match (out[0], n) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        if let Some(lo) = lo.or(n) {
            out[1] = Some(out[1].map_or(lo, |a: u32| a.min(lo)));
        }
        if let Some(hi) = hi.or(n) {
            out[2] = Some(out[2].map_or(hi, |a: u32| a.max(hi)));
        }
    }
    out
}

/// The key with the highest weight; ties to the smallest key.
fn most<K: Ord + Copy>(counts: &BTreeMap<K, usize>) -> Option<K> {
    let mut best: Option<(K, usize)> = None;
    for (k, n) in counts {
        if best.is_none_or(|(_, b)| *n > b) {
            best = Some((*k, *n));
        }
    }
    best.map(|(k, _)| k)
}

fn weight(u: &Unit) -> usize {
    u.articles.len().max(1)
}

fn sub_type<'a>(c: &'a Collector, us: &[&Unit], types: &TypeTable) -> &'a str {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for u in us {
        *counts.entry(c.str(u.sub_event_type)).or_default() += weight(u);
    }
    let top = counts.values().copied().max().unwrap_or(0);
    let tied: Vec<&str> = counts
        .iter()
        .filter(|(_, n)| **n == top)
        .map(|(k, _)| *k)
        .collect();
    // Each tied type against the others: the one that wins most ties.
    let wins = |t: &str| {
        tied.iter()
            .filter(|o| **o != t && types.tie(t, o) == t)
            .count()
    };
    tied.iter()
        .copied()
        .max_by(|a, b| wins(a).cmp(&wins(b)).then_with(|| b.cmp(a)))
        .unwrap_or("")
}

fn actors(c: &Collector, us: &[&Unit]) -> (Option<String>, Option<String>) {
    let mut first: BTreeMap<&str, usize> = BTreeMap::new();
    let mut any: BTreeMap<&str, usize> = BTreeMap::new();
    for u in us {
        if let Some(a) = u.actor1 {
            *first.entry(c.str(a)).or_default() += weight(u);
            *any.entry(c.str(a)).or_default() += weight(u);
        }
        if let Some(a) = u.actor2 {
            *any.entry(c.str(a)).or_default() += weight(u);
        }
    }
    let a1 = most(&first);
    if let Some(a) = a1 {
        any.remove(a);
    }
    (a1.map(str::to_string), most(&any).map(str::to_string))
}

/// The members' distinct sentences, each with its articles, bounded.
fn evidence(c: &Collector, us: &[&Unit]) -> String {
    let mut texts: Vec<(&str, Vec<&str>)> = Vec::new();
    for u in us {
        if u.evidence.is_empty() {
            continue;
        }
        let files = u.articles.iter().map(|s| c.str(*s));
        match texts.iter_mut().find(|(t, _)| *t == &*u.evidence) {
            Some((_, f)) => f.extend(files),
            None => texts.push((&u.evidence, files.collect())),
        }
    }
    let mut out = String::new();
    for (n, (t, files)) in texts.iter().enumerate() {
        let item = format!("{t} [{}]", files.join(", "));
        if !out.is_empty() && out.chars().count() + item.chars().count() > MAX_EVENT_EVIDENCE {
            out.push_str(&format!(" | (+{} more)", texts.len() - n));
            break;
        }
        if !out.is_empty() {
            out.push_str(" | ");
        }
        out.push_str(&item);
    }
    out
}

/// Why the members are one event, in words.
fn note(c: &Collector, us: &[&Unit], joins: &[Join], sources: usize) -> String {
    if us.len() == 1 {
        return match &us[0].prior_note {
            Some(n) => n.to_string(),
            None => "one report".to_string(),
        };
    }
    let mut parts: Vec<String> = Vec::new();
    let mut count = |what: String| match parts.iter_mut().find(|p| p.ends_with(&what)) {
        Some(p) => {
            let (n, rest) = p.split_once(' ').unwrap_or(("1", ""));
            *p = format!("{} {rest}", n.parse::<usize>().unwrap_or(1) + 1);
        }
        None => parts.push(format!("1 {what}")),
    };
    for (u, j) in us.iter().zip(joins).skip(1) {
        let day = |gap: u8| match gap {
            0 => "the same day".to_string(),
            _ if u.night => "the next day (a night report)".to_string(),
            _ => "the next day (published on another day)".to_string(),
        };
        match j {
            Join::First => {}
            Join::Duplicate => count("the same sentence (a copy)".into()),
            Join::SamePlace { gap } => count(format!("at the same place, {}", day(*gap))),
            Join::Near { km, gap } => count(format!("within {:.0} km, {}", km.ceil(), day(*gap))),
            Join::OnlyInRegion => count(format!(
                "region-level ({}), the only event there that day",
                c.str(u.location)
            )),
            Join::SameRegion { gap } => count(format!("the same region, {}", day(*gap))),
        }
    }
    let mut types: Vec<&str> = us.iter().map(|u| c.str(u.sub_event_type)).collect();
    types.sort_unstable();
    types.dedup();
    let mut s = format!(
        "{} reports from {sources} articles; joined: {}",
        us.len(),
        parts.join("; ")
    );
    if types.len() > 1 {
        s.push_str(&format!(
            "; compatible types: {} (fusion-types.tsv)",
            types.join(", ")
        ));
    }
    s
}

/// The sorted distinct incident ids of the members.
fn ids_of<'a>(us: &[&'a Unit]) -> Vec<&'a str> {
    let mut ids: Vec<&str> = us.iter().flat_map(|u| u.ids.iter().map(|s| &**s)).collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// The event's date and its precision: the earliest of the most precisely
/// dated members.
fn date_of<'a>(c: &'a Collector, us: &[&Unit]) -> (Option<&'a str>, DatePrecision) {
    let best = us
        .iter()
        .map(|u| u.precision)
        .min()
        .unwrap_or(DatePrecision::Unknown);
    let date = us
        .iter()
        .filter(|u| u.precision == best)
        .filter_map(|u| u.date.map(|d| c.str(d)))
        .min();
    (date, best)
}

/// A group's event date and event id (its sort key), without building it.
pub fn date_and_id<'a>(c: &'a Collector, g: &Group) -> (Option<&'a str>, String) {
    let us: Vec<&Unit> = g.units.iter().map(|&i| &c.units[i as usize]).collect();
    (date_of(c, &us).0, event_id(&ids_of(&us)))
}

/// The event of one group.
pub fn build(c: &Collector, g: &Group, types: &TypeTable) -> Event {
    let us: Vec<&Unit> = g.units.iter().map(|&i| &c.units[i as usize]).collect();
    let ids = ids_of(&us);
    let (date, best_date) = date_of(c, &us);
    let place = place_of(c, &us);
    let sub = sub_type(c, &us, types);
    let event_type = us
        .iter()
        .find(|u| c.str(u.sub_event_type) == sub)
        .map_or("", |u| c.str(u.event_type));
    let [fatalities, fatalities_low, fatalities_high] = tolls(&us, |u| u.fatalities);
    let [injured, injured_low, injured_high] = tolls(&us, |u| u.injured);
    let (actor1, actor2) = actors(c, &us);
    let source_files = union(c, &us, |u| &u.articles);
    let opt = |s: Option<Sym>| s.map(|s| c.str(s).to_string());
    Event {
        event_id: event_id(&ids),
        event_date: date.map(str::to_string),
        date_precision: best_date,
        event_type: event_type.to_string(),
        sub_event_type: sub.to_string(),
        location: c.str(place.location).to_string(),
        gazetteer_id: c.str(place.gazetteer_id).to_string(),
        geo_precision: place.geo_precision,
        point: place.point,
        country: opt(place.country),
        admin1: opt(place.admin1),
        fatalities,
        fatalities_low,
        fatalities_high,
        injured,
        injured_low,
        injured_high,
        actor1,
        actor2,
        sources: source_files.len(),
        publishers: union(c, &us, |u| &u.publishers),
        urls: union(c, &us, |u| &u.urls),
        reported_by: union(c, &us, |u| &u.claimants),
        incident_ids: ids.iter().map(|s| s.to_string()).collect(),
        evidence: match us.as_slice() {
            [u] if u.is_prior_event() => u.evidence.to_string(),
            _ => evidence(c, &us),
        },
        fusion_note: note(c, &us, &g.joins, source_files.len()),
        source_files,
    }
}

/// The member whose place the event takes.
fn place_of<'a>(c: &Collector, us: &[&'a Unit]) -> &'a Unit {
    let best = us.iter().map(|u| u.geo_precision).min().unwrap_or(3);
    let mut named: BTreeMap<&str, usize> = BTreeMap::new();
    for u in us.iter().filter(|u| u.geo_precision == best) {
        *named.entry(c.str(u.gazetteer_id)).or_default() += weight(u);
    }
    let gaz = most(&named).unwrap_or("");
    us.iter()
        .copied()
        .find(|u| u.geo_precision == best && c.str(u.gazetteer_id) == gaz)
        .unwrap_or(us[0])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_stable_hashes() {
        // FNV-1a test vectors: "" and "a".
        assert_eq!(fnv1a(&[""]), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(&["a"]), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(event_id(&["a#1", "b#2"]), event_id(&["a#1", "b#2"]));
        assert_ne!(event_id(&["a#1", "b#2"]), event_id(&["a#1b#2"]));
        assert_eq!(event_id(&["x"]).len(), 19);
    }

    #[test]
    fn toll_ranges_keep_the_lowest_figure() {
        let u = |n: Option<u32>, lo: Option<u32>, hi: Option<u32>| [n, lo, hi];
        type Tolls = [Option<u32>; 3];
        let cases: [(&[Tolls], Tolls); 4] = [
            (
                &[u(Some(3), None, None), u(Some(5), None, None)],
                [Some(3), Some(3), Some(5)],
            ),
            (
                &[u(None, None, None), u(Some(2), None, None)],
                [Some(2), Some(2), Some(2)],
            ),
            (
                &[u(Some(4), Some(4), Some(7)), u(Some(1), None, None)],
                [Some(1), Some(1), Some(7)],
            ),
            (&[u(None, None, None)], [None, None, None]),
        ];
        for (members, want) in cases {
            let units: Vec<Unit> = members
                .iter()
                .map(|f| Unit {
                    fatalities: *f,
                    ..blank()
                })
                .collect();
            let refs: Vec<&Unit> = units.iter().collect();
            assert_eq!(tolls(&refs, |u| u.fatalities), want, "{members:?}");
        }
    }

    pub(crate) fn blank() -> Unit {
        Unit {
            ids: Vec::new().into(),
            articles: Vec::new().into(),
            publishers: Vec::new().into(),
            urls: Vec::new().into(),
            claimants: Vec::new().into(),
            date: None,
            precision: DatePrecision::Day,
            day: None,
            published: None,
            night: false,
            event_type: 0,
            sub_event_type: 0,
            location: 0,
            gazetteer_id: 0,
            geo_precision: 1,
            point: (0.0, 0.0),
            country: None,
            admin1: None,
            fatalities: [None; 3],
            injured: [None; 3],
            actor1: None,
            actor2: None,
            evidence: "".into(),
            prior_note: None,
        }
    }

    #[test]
    fn most_prefers_weight_then_the_smallest_key() {
        let m: BTreeMap<&str, usize> = [("b", 2), ("a", 2), ("c", 1)].into_iter().collect();
        assert_eq!(most(&m), Some("a"));
        let m: BTreeMap<&str, usize> = [("b", 3), ("a", 2)].into_iter().collect();
        assert_eq!(most(&m), Some("b"));
    }
}
