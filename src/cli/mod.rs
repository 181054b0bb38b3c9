//! The subcommands: argument types and their runners. The work is in the library.

pub mod explain;
pub mod extract;
pub mod fuse;
pub mod gazetteer;
mod load;
pub mod map;
mod progress;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use explain::ExplainArgs;
use extract::ExtractArgs;
use gazetteer::GazetteerCommand;

/// Turn news reports of armed incidents into map layers (GeoJSON and CSV), offline.
#[derive(Parser)]
#[command(name = "eventmap", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Extract incidents from articles and write map layers.
    ///
    /// Example: eventmap extract seeds --out-dir output
    Extract(ExtractArgs),
    /// Show, sentence by sentence, the places and their roles, the dates, and
    /// the incidents built, with the reason for each decision.
    ///
    /// Example: eventmap explain seeds/001_405a79c29a6589a7.txt
    Explain(ExplainArgs),
    /// Check, search and build the gazetteer.
    ///
    /// Example: eventmap gazetteer lookup Stepanakert
    #[command(subcommand)]
    Gazetteer(GazetteerCommand),
    /// Fuse incidents of earlier runs into events: one per incident, with every source.
    ///
    /// Example: eventmap fuse part-1.geojsonl part-2.geojsonl --out-dir maps/
    Fuse(fuse::FuseArgs),
    /// Write one offline HTML map (time slider, filters, evidence popups) of GeoJSON layers.
    ///
    /// Example: eventmap map output/incidents.geojson output/statements.geojson -o map.html
    Map(map::MapArgs),
}

/// Run one parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Extract(a) => extract::run(a),
        Command::Explain(a) => explain::run(a),
        Command::Gazetteer(c) => gazetteer::run(c),
        Command::Fuse(a) => fuse::run(a),
        Command::Map(a) => map::run(a),
    }
}
