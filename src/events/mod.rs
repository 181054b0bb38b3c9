//! Events across articles: one event per incident as the world saw it,
//! fused from every article that reported it (CODEBOOK section 9).
//!
//! Incidents become [`Draft`]s (from extracted [`Record`](crate::record::Record)s,
//! or from the GeoJSON features of an earlier run, [`read`]); a
//! [`Collector`] keeps them compactly (repeated strings once); [`fuse`]
//! sorts them by day and sweeps a two-day window, joining each report to the
//! open event it fits best under the rules of [`rules`]; [`event`] builds the
//! fused properties; [`write`] writes the layer (GeoJSON, text sequences,
//! CSV + `.csvt`) with the incidents writers' conventions.
//!
//! The result depends only on the set of reports: they are processed in an
//! order of their own content (day, then incident ids), never in input order,
//! and on one thread.

pub mod event;
pub mod fuse;
pub mod read;
pub mod rules;
pub mod unit;
pub mod write;

pub use event::Event;
pub use fuse::{fuse, Fused};
pub use rules::{FuseOptions, NightWords, TypeTable};
pub use unit::{Collector, Draft};

/// Errors of the events layer. Each names the file (and line) concerned.
#[derive(Debug, thiserror::Error)]
pub enum EventsError {
    #[error("{path}:{line}: {message}")]
    Table {
        path: String,
        line: usize,
        message: String,
    },
    #[error("cannot read {path}: {source}")]
    Read {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: feature {index}: {message}")]
    Feature {
        path: String,
        index: u64,
        message: String,
    },
    #[error("{path}: not GeoJSON: {message}; give a FeatureCollection, a GeoJSON text sequence or one feature per line")]
    Format { path: String, message: String },
}

/// The fusion's settings and tables.
#[derive(Debug, Clone)]
pub struct Rules {
    pub options: FuseOptions,
    pub types: TypeTable,
    pub night: NightWords,
}

impl Default for Rules {
    fn default() -> Self {
        Rules {
            options: FuseOptions::default(),
            types: TypeTable::bundled(),
            night: NightWords::bundled(),
        }
    }
}

/// The events of a run in output order, built one at a time when written
/// (so that the events' strings never all exist at once), and each
/// incident's event.
#[derive(Debug)]
pub struct Layer<'a> {
    c: &'a Collector,
    types: &'a TypeTable,
    groups: Vec<fuse::Group>,
    /// (group, event id), sorted by event date (unknown last), then id.
    order: Vec<(u32, String)>,
    /// Incident id -> position in `order` (only when asked for).
    event_of: std::collections::HashMap<Box<str>, u32>,
}

impl<'a> Layer<'a> {
    /// Number of events.
    pub fn len(&self) -> usize {
        self.order.len()
    }

    /// Whether there is no event.
    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    /// The `k`th event in output order.
    pub fn event(&self, k: usize) -> Event {
        event::build(self.c, &self.groups[self.order[k].0 as usize], self.types)
    }

    /// The events in output order.
    pub fn events(&self) -> impl Iterator<Item = Event> + '_ {
        (0..self.len()).map(|k| self.event(k))
    }

    /// The event id of incident `id` (when the layer was built with its
    /// index).
    pub fn event_id_of(&self, id: &str) -> Option<&str> {
        self.event_of
            .get(id)
            .map(|&k| self.order[k as usize].1.as_str())
    }
}

/// Fuse the collected reports into the events layer; with `index`, each
/// incident id can be looked up ([`Layer::event_id_of`]).
pub fn build_layer<'a>(c: &'a Collector, rules: &'a Rules, index: bool) -> Layer<'a> {
    let groups = fuse(c, rules).groups;
    use rayon::prelude::*;
    let mut keyed: Vec<(Option<&str>, String, u32)> = groups
        .par_iter()
        .enumerate()
        .map(|(g, group)| {
            let (date, id) = event::date_and_id(c, group);
            (date, id, g as u32)
        })
        .collect();
    keyed.par_sort_by(|a, b| write::order((a.0, &a.1), (b.0, &b.1)));
    let order: Vec<(u32, String)> = keyed.into_iter().map(|(_, id, g)| (g, id)).collect();
    let mut event_of = std::collections::HashMap::new();
    if index {
        for (k, (g, _)) in order.iter().enumerate() {
            for &u in &groups[*g as usize].units {
                for id in c.units[u as usize].ids.iter() {
                    event_of.insert(id.clone(), k as u32);
                }
            }
        }
    }
    Layer {
        c,
        types: &rules.types,
        groups,
        order,
        event_of,
    }
}

/// Why each event of more than one report is one, for `fuse --explain`:
/// a line for the event, its note, and its incidents.
pub fn explain_lines(layer: &Layer<'_>) -> Vec<String> {
    let mut out = Vec::new();
    let mut single = 0;
    for e in layer.events() {
        if e.incident_ids.len() == 1 {
            single += 1;
            continue;
        }
        out.push(format!(
            "{} {} {} ({}): {}",
            e.event_id,
            e.event_date.as_deref().unwrap_or("undated"),
            e.location,
            e.sub_event_type,
            e.fusion_note
        ));
        out.push(format!("  incidents: {}", e.incident_ids.join(", ")));
        out.push(format!(
            "  fatalities {} (range {}-{}), sources {}",
            e.fatalities.map_or("not stated".into(), |n| n.to_string()),
            e.fatalities_low.map_or("?".into(), |n| n.to_string()),
            e.fatalities_high.map_or("?".into(), |n| n.to_string()),
            e.sources
        ));
    }
    out.push(format!("{} events, {single} of one report", layer.len()));
    out
}
