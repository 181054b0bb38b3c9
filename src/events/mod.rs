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
