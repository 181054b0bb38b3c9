//! The eventmap command line. Parsing and exit codes only; the work is in the library.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};

use eventmap::gazetteer::{Gazetteer, LoadOptions};
use eventmap::text::load_inputs;
use eventmap::Extractor;

/// Turn news reports of armed incidents into map layers (GeoJSON and CSV), offline.
#[derive(Parser)]
#[command(name = "eventmap", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Extract incidents from articles and write map layers.
    ///
    /// Example: eventmap extract seeds --out-dir output
    Extract(ExtractArgs),
}

#[derive(clap::Args)]
struct ExtractArgs {
    /// Article files (.txt) or directories of them [default: seeds]
    paths: Vec<PathBuf>,
    /// Manifest CSV (file,publisher,published,title,url) [default: index.csv in an input directory]
    #[arg(long, value_name = "FILE")]
    manifest: Option<PathBuf>,
    /// Extra gazetteer directory loaded on top of the bundled one (repeatable). Example: --gazetteer my-places/
    #[arg(long, value_name = "DIR")]
    gazetteer: Vec<PathBuf>,
    /// Output directory [default: output]
    #[arg(long, value_name = "DIR", default_value = "output")]
    out_dir: PathBuf,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("eventmap: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Extract(a) => extract(a),
    }
}

fn extract(a: ExtractArgs) -> anyhow::Result<ExitCode> {
    let paths = if a.paths.is_empty() {
        vec![PathBuf::from("seeds")]
    } else {
        a.paths
    };
    let (gaz, problems) = Gazetteer::load(&LoadOptions {
        no_bundled: false,
        extra_dirs: a.gazetteer,
    })
    .context("loading the gazetteer")?;
    for p in &problems {
        eprintln!("eventmap: {p}");
    }
    let inputs = load_inputs(&paths, a.manifest.as_deref());
    for e in &inputs.errors {
        eprintln!("eventmap: {e}");
    }
    let ex = Extractor::new(gaz);
    let mut incidents = Vec::new();
    let mut statements = Vec::new();
    for art in &inputs.articles {
        let r = ex.extract(art);
        incidents.extend(r.incidents);
        statements.extend(r.statements);
    }
    eventmap::output::write_all(&a.out_dir, &incidents, &statements).context("writing output")?;
    println!(
        "eventmap: {} articles read, {} incidents and {} statements written to {}",
        inputs.articles.len(),
        incidents.len(),
        statements.len(),
        a.out_dir.display()
    );
    Ok(if inputs.errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
