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

/// The events of a run, sorted for output, and each incident's event.
#[derive(Debug, Default)]
pub struct Layer {
    pub events: Vec<Event>,
    /// Incident id -> index in `events`.
    pub event_of: std::collections::HashMap<String, usize>,
}

impl Layer {
    /// The event id of incident `id`, if it is in an event.
    pub fn event_id_of(&self, id: &str) -> Option<&str> {
        self.event_of
            .get(id)
            .map(|&i| self.events[i].event_id.as_str())
    }
}

/// Fuse the collected reports and build the events layer.
pub fn build_layer(c: &Collector, rules: &Rules) -> Layer {
    let fused = fuse(c, rules);
    let mut events: Vec<Event> = fused
        .groups
        .iter()
        .map(|g| event::build(c, g, &rules.types))
        .collect();
    write::sort_events(&mut events);
    let mut event_of = std::collections::HashMap::new();
    for (i, e) in events.iter().enumerate() {
        for id in &e.incident_ids {
            event_of.insert(id.clone(), i);
        }
    }
    Layer { events, event_of }
}

/// Why each event of more than one report is one, for `fuse --explain`:
/// a line for the event, its note, and its incidents.
pub fn explain_lines(layer: &Layer) -> Vec<String> {
    let mut out = Vec::new();
    for e in layer.events.iter().filter(|e| e.incident_ids.len() > 1) {
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
    let single = layer
        .events
        .iter()
        .filter(|e| e.incident_ids.len() == 1)
        .count();
    out.push(format!(
        "{} events, {} of one report",
        layer.events.len(),
        single
    ));
    out
}
