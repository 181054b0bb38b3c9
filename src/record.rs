//! The records eventmap writes: one per incident or statement.
//!
//! A [`Record`] carries every property that `CODEBOOK.md` section 7 requires,
//! plus the extras the README documents (country, admin1, injured, fatality
//! range, confidence, character offsets, matched place text, publisher). The
//! writers in [`crate::output`] turn records into GeoJSON and CSV; nothing
//! else about a record is computed after assembly.

use serde::Serialize;

use crate::gazetteer::SharedGeometry;

/// Whether a record is an incident or an official statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RecordKind {
    /// A reported occurrence of violence, unrest or a security event.
    Incident,
    /// A dated official reaction: concern, appeal, condemnation, threat, call, meeting.
    Statement,
}

impl RecordKind {
    /// The value written in the `kind` property.
    pub fn as_str(self) -> &'static str {
        match self {
            RecordKind::Incident => "incident",
            RecordKind::Statement => "statement",
        }
    }
}

/// How precisely `event_date` is known (CODEBOOK section 3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DatePrecision {
    Day,
    Week,
    Month,
    Year,
    Unknown,
}

impl DatePrecision {
    /// The value written in the `date_precision` property.
    pub fn as_str(self) -> &'static str {
        match self {
            DatePrecision::Day => "day",
            DatePrecision::Week => "week",
            DatePrecision::Month => "month",
            DatePrecision::Year => "year",
            DatePrecision::Unknown => "unknown",
        }
    }
}

/// One output row: an incident or a statement.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// Stable id: `<file stem>#<n>` (statements: `<file stem>#s<n>`).
    pub id: String,
    pub kind: RecordKind,
    /// The input file's name (no directory).
    pub source_file: String,
    /// `YYYY-MM-DD`, `YYYY-MM`, `YYYY`, or `None`.
    pub event_date: Option<String>,
    pub date_precision: DatePrecision,
    /// ACLED event type (statements: `Statement`).
    pub event_type: String,
    /// ACLED sub-event type (statements: the statement kind, e.g. `concern`).
    pub sub_event_type: String,
    /// Gazetteer display name of the place.
    pub location: String,
    /// Id of the gazetteer entry.
    pub gazetteer_id: String,
    /// 1 (named site), 2 (near / part of / along a road), 3 (region only).
    pub geo_precision: u8,
    pub fatalities: Option<u32>,
    pub fatalities_low: Option<u32>,
    pub fatalities_high: Option<u32>,
    pub injured: Option<u32>,
    pub actor1: Option<String>,
    pub actor2: Option<String>,
    /// Who makes the claim ("Azerbaijani Defense Ministry"); several joined by "; ".
    pub reported_by: Option<String>,
    /// The sentence(s) the record was read from.
    pub evidence: String,
    /// Character (not byte) offsets of the first evidence sentence in the article.
    pub char_start: usize,
    pub char_end: usize,
    /// The place text as it appears in the article ("the Lachin corridor").
    pub matched_text: Option<String>,
    /// ISO 3166-1 alpha-2 code of the place's country, if known.
    pub country: Option<String>,
    pub admin1: Option<String>,
    pub publisher: Option<String>,
    pub url: Option<String>,
    /// 0.0-1.0: how sure the extractor is (place role, trigger strength, date source).
    pub confidence: f64,
    /// The place's full geometry: Point, LineString or Polygon, WGS 84 lon/lat
    /// (shared with the gazetteer place, not copied).
    pub geometry: SharedGeometry,
    /// A representative point of `geometry` as (lon, lat).
    pub point: (f64, f64),
}
