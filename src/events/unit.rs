//! What fusion knows of a report: a [`Draft`] (owned strings, built on any
//! thread) and its compact form, a [`Unit`] in a [`Collector`] (strings
//! that repeat across reports kept once).

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{Datelike, NaiveDate};

use crate::gazetteer::{FastMap, SharedGeometry};
use crate::record::{DatePrecision, Record};

/// At most this many characters of an incident's evidence are kept.
pub const MAX_EVIDENCE_CHARS: usize = 400;

/// One report for fusion: an incident, or an event of an earlier fusion
/// (then the lists hold its members' values and `prior` its own).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Draft {
    /// The incident ids (one for an incident).
    pub ids: Vec<String>,
    /// Articles (source files) the report comes from.
    pub source_files: Vec<String>,
    pub publishers: Vec<String>,
    pub urls: Vec<String>,
    /// Claimants (`reported_by`, split at "; ").
    pub claimants: Vec<String>,
    pub event_date: Option<String>,
    pub date_precision: Option<DatePrecision>,
    /// The article's publication date, when known.
    pub published: Option<NaiveDate>,
    pub event_type: String,
    pub sub_event_type: String,
    pub location: String,
    pub gazetteer_id: String,
    pub geo_precision: u8,
    /// (lon, lat)
    pub point: (f64, f64),
    /// The full geometry of a region-level report (for "in that region").
    pub region: Option<SharedGeometry>,
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
    pub evidence: String,
    /// An earlier event's `fusion_note` (only events have one).
    pub prior_note: Option<String>,
}

/// Split a "; "-joined list, dropping empty parts.
pub fn split_list(s: &str) -> Vec<String> {
    s.split("; ")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect()
}

/// `s` cut to at most `max` characters (an ellipsis marks a cut).
pub fn bounded(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        None => s.to_string(),
        Some((i, _)) => format!("{}…", s[..i].trim_end()),
    }
}

impl Draft {
    /// The draft of an extracted incident (its article's publication date
    /// given when known).
    pub fn from_record(r: &Record, published: Option<NaiveDate>) -> Draft {
        let one = |s: &Option<String>| s.iter().filter(|s| !s.is_empty()).cloned().collect();
        Draft {
            ids: vec![r.id.clone()],
            source_files: vec![r.source_file.clone()],
            publishers: one(&r.publisher),
            urls: one(&r.url),
            claimants: r.reported_by.as_deref().map(split_list).unwrap_or_default(),
            event_date: r.event_date.clone(),
            date_precision: Some(r.date_precision),
            published,
            event_type: r.event_type.clone(),
            sub_event_type: r.sub_event_type.clone(),
            location: r.location.clone(),
            gazetteer_id: r.gazetteer_id.clone(),
            geo_precision: r.geo_precision,
            point: r.point,
            region: (r.geo_precision >= 3).then(|| r.geometry.clone()),
            country: r.country.clone(),
            admin1: r.admin1.clone(),
            fatalities: r.fatalities,
            fatalities_low: r.fatalities_low,
            fatalities_high: r.fatalities_high,
            injured: r.injured,
            injured_low: None,
            injured_high: None,
            actor1: r.actor1.clone(),
            actor2: r.actor2.clone(),
            evidence: bounded(&r.evidence, MAX_EVIDENCE_CHARS),
            prior_note: None,
        }
    }
}

/// A string's number in a [`Collector`].
pub type Sym = u32;

/// A list that holds one item without an allocation (most reports have one
/// id, one article, one publisher).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum List<T> {
    One(T),
    Many(Box<[T]>),
}

impl<T> std::ops::Deref for List<T> {
    type Target = [T];
    fn deref(&self) -> &[T] {
        match self {
            List::One(x) => std::slice::from_ref(x),
            List::Many(v) => v,
        }
    }
}

impl<T> From<Vec<T>> for List<T> {
    fn from(mut v: Vec<T>) -> Self {
        if v.len() == 1 {
            if let Some(x) = v.pop() {
                return List::One(x);
            }
        }
        List::Many(v.into_boxed_slice())
    }
}

/// A report in compact form (see [`Draft`] for the fields).
#[derive(Debug, Clone)]
pub struct Unit {
    pub ids: List<Box<str>>,
    pub articles: List<Sym>,
    pub publishers: List<Sym>,
    pub urls: List<Sym>,
    pub claimants: List<Sym>,
    pub date: Option<Sym>,
    pub precision: DatePrecision,
    /// Days since 0001-01-01 of a day (or week) date.
    pub day: Option<i32>,
    pub published: Option<i32>,
    /// The evidence says the incident was at night.
    pub night: bool,
    pub event_type: Sym,
    pub sub_event_type: Sym,
    pub location: Sym,
    pub gazetteer_id: Sym,
    pub geo_precision: u8,
    pub point: (f64, f64),
    pub country: Option<Sym>,
    pub admin1: Option<Sym>,
    pub fatalities: [Option<u32>; 3],
    pub injured: [Option<u32>; 3],
    pub actor1: Option<Sym>,
    pub actor2: Option<Sym>,
    pub evidence: Box<str>,
    pub prior_note: Option<Box<str>>,
}

impl Unit {
    /// Whether the unit is an event of an earlier fusion.
    pub fn is_prior_event(&self) -> bool {
        self.prior_note.is_some()
    }
}

/// The reports of a run, kept compactly, and the strings they share.
#[derive(Debug, Default)]
pub struct Collector {
    pub(crate) units: Vec<Unit>,
    /// Each string once, shared by the table and the index.
    strings: Vec<Arc<str>>,
    index: FastMap<Arc<str>, Sym>,
    /// Region geometries by gazetteer id (one per region, not per report).
    pub(crate) regions: HashMap<Sym, SharedGeometry>,
}

/// A date string's day number, for `day` and `week` precision.
fn day_of(date: Option<&str>, precision: DatePrecision) -> Option<i32> {
    if !matches!(precision, DatePrecision::Day | DatePrecision::Week) {
        return None;
    }
    NaiveDate::parse_from_str(date?, "%Y-%m-%d")
        .ok()
        .map(|d| d.num_days_from_ce())
}

/// The precision of a date string without one: by its length.
pub fn precision_of(date: Option<&str>) -> DatePrecision {
    match date.map(str::len) {
        Some(10) => DatePrecision::Day,
        Some(7) => DatePrecision::Month,
        Some(4) => DatePrecision::Year,
        _ => DatePrecision::Unknown,
    }
}

impl Collector {
    /// An empty collector.
    pub fn new() -> Self {
        Collector::default()
    }

    /// Reports collected.
    pub fn len(&self) -> usize {
        self.units.len()
    }

    /// Whether no report was collected.
    pub fn is_empty(&self) -> bool {
        self.units.is_empty()
    }

    /// The number of `s`, added if new.
    pub fn sym(&mut self, s: &str) -> Sym {
        if let Some(&n) = self.index.get(s) {
            return n;
        }
        let n = self.strings.len() as Sym;
        let shared: Arc<str> = s.into();
        self.strings.push(shared.clone());
        self.index.insert(shared, n);
        n
    }

    /// The string numbered `n`.
    pub fn str(&self, n: Sym) -> &str {
        &self.strings[n as usize]
    }

    fn syms(&mut self, v: &[String]) -> List<Sym> {
        let mut out: Vec<Sym> = v.iter().map(|s| self.sym(s)).collect();
        out.sort_by(|a, b| self.str(*a).cmp(self.str(*b)));
        out.dedup();
        out.into()
    }

    fn opt(&mut self, s: &Option<String>) -> Option<Sym> {
        s.as_deref().filter(|s| !s.is_empty()).map(|s| self.sym(s))
    }

    /// Add one report; `night` says whether its evidence places it at night.
    pub fn push(&mut self, d: Draft, night: bool) {
        let precision = d
            .date_precision
            .unwrap_or_else(|| precision_of(d.event_date.as_deref()));
        let mut ids: Vec<Box<str>> = d.ids.iter().map(|s| s.as_str().into()).collect();
        ids.sort();
        ids.dedup();
        let gazetteer_id = self.sym(&d.gazetteer_id);
        if let Some(g) = d.region {
            self.regions.entry(gazetteer_id).or_insert(g);
        }
        let unit = Unit {
            ids: List::from(ids),
            articles: self.syms(&d.source_files),
            publishers: self.syms(&d.publishers),
            urls: self.syms(&d.urls),
            claimants: self.syms(&d.claimants),
            day: day_of(d.event_date.as_deref(), precision),
            date: self.opt(&d.event_date),
            precision,
            published: d.published.map(|p| p.num_days_from_ce()),
            night,
            event_type: self.sym(&d.event_type),
            sub_event_type: self.sym(&d.sub_event_type),
            location: self.sym(&d.location),
            gazetteer_id,
            geo_precision: d.geo_precision,
            point: d.point,
            country: self.opt(&d.country),
            admin1: self.opt(&d.admin1),
            fatalities: [d.fatalities, d.fatalities_low, d.fatalities_high],
            injured: [d.injured, d.injured_low, d.injured_high],
            actor1: self.opt(&d.actor1),
            actor2: self.opt(&d.actor2),
            evidence: d.evidence.into(),
            prior_note: d.prior_note.map(Into::into),
        };
        self.units.push(unit);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounded_cuts_at_characters() {
        assert_eq!(bounded("abc", 3), "abc");
        assert_eq!(bounded("Ստեփանակերտ", 4), "Ստեփ…");
        assert_eq!(bounded("ab cd", 3), "ab…");
    }

    #[test]
    fn lists_split_and_dates_read() {
        assert_eq!(split_list("A; B;  ; C"), ["A", "B", "C"]);
        assert_eq!(precision_of(Some("2022-09")), DatePrecision::Month);
        assert_eq!(
            day_of(Some("2022-09-13"), DatePrecision::Day),
            NaiveDate::from_ymd_opt(2022, 9, 13).map(|d| d.num_days_from_ce())
        );
        assert_eq!(day_of(Some("2022-09"), DatePrecision::Month), None);
        assert_eq!(day_of(Some("garbage"), DatePrecision::Day), None);
    }

    #[test]
    fn strings_are_kept_once() {
        let mut c = Collector::new();
        let d = Draft {
            ids: vec!["b#1".into(), "a#1".into()],
            source_files: vec!["b.txt".into(), "a.txt".into(), "a.txt".into()],
            event_type: "Battles".into(),
            ..Draft::default()
        };
        c.push(d.clone(), false);
        c.push(d, true);
        assert_eq!(c.len(), 2);
        let u = &c.units[1];
        assert_eq!(&*u.ids[0], "a#1");
        let files: Vec<&str> = u.articles.iter().map(|s| c.str(*s)).collect();
        assert_eq!(files, ["a.txt", "b.txt"]);
        assert_eq!(c.units[0].event_type, c.units[1].event_type);
        assert!(u.night);
    }
}
