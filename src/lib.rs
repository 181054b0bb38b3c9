//! eventmap: turn news reports of armed incidents into map layers.
//!
//! Data flows one way:
//! [`text`] (articles, sentences, datelines) -> [`places`] (toponym mentions
//! and their roles) and [`dates`] -> [`incidents`] (assembly into
//! [`record::Record`]s) -> [`output`] (GeoJSON, CSV) -> [`map`] (one offline
//! HTML map of the written layers).

pub mod actors;
pub mod areas;
pub mod dates;
pub mod events;
pub mod gazetteer;
pub mod incidents;
pub mod map;
pub mod output;
pub mod places;
pub mod record;
pub mod stream;
pub mod taxonomy;
pub mod text;
pub mod vocab;

pub use incidents::{ArticleResult, Extractor};
