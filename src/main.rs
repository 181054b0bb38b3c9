//! The eventmap command line. Parsing and exit codes only; the work is in the library.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};

use eventmap::gazetteer::{Gazetteer, LoadOptions};
use eventmap::output::{Format, GeometryMode, OutputOptions};
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
    /// Show, sentence by sentence, the places and their roles, the dates, and
    /// the incidents built, with the reason for each decision.
    ///
    /// Example: eventmap explain seeds/001_405a79c29a6589a7.txt
    Explain(ExplainArgs),
}

#[derive(clap::Args)]
struct ExplainArgs {
    /// Article files (.txt) or directories of them
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Manifest CSV [default: index.csv beside the article]
    #[arg(long, value_name = "FILE")]
    manifest: Option<PathBuf>,
    /// Extra gazetteer directory loaded on top of the bundled one (repeatable)
    #[arg(long, value_name = "DIR")]
    gazetteer: Vec<PathBuf>,
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
    /// Feature geometry in GeoJSON output: `point` (one Point layer, full geometry in the `wkt` property) or `native`
    #[arg(long, value_enum, default_value_t = GeometryMode::Point)]
    geometry: GeometryMode,
    /// Output formats, comma-separated [default: geojson,csv; with --stdout: geojsonseq]
    #[arg(long, value_enum, value_delimiter = ',', value_name = "FORMAT")]
    format: Vec<Format>,
    /// CSV for spreadsheets: a UTF-8 byte-order mark (Excel reads UTF-8) and a leading ' on text cells that look like formulas
    #[arg(long)]
    excel: bool,
    /// Write the incidents to stdout (as a GeoJSON text sequence unless --format says otherwise) instead of files
    #[arg(long)]
    stdout: bool,
    /// `-o -` is the same as --stdout
    #[arg(short = 'o', long = "output", value_name = "-", value_parser = ["-"])]
    output: Option<String>,
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
        Command::Explain(a) => explain(a),
    }
}

fn explain(a: ExplainArgs) -> anyhow::Result<ExitCode> {
    let (gaz, problems) = Gazetteer::load(&LoadOptions {
        no_bundled: false,
        extra_dirs: a.gazetteer,
    })
    .context("loading the gazetteer")?;
    for p in &problems {
        eprintln!("eventmap: {p}");
    }
    // A single file: use the index.csv beside it when there is one.
    let manifest = a.manifest.or_else(|| {
        let p = a.paths.first()?;
        let idx = if p.is_dir() {
            p.join("index.csv")
        } else {
            p.parent()?.join("index.csv")
        };
        idx.is_file().then_some(idx)
    });
    let inputs = load_inputs(&a.paths, manifest.as_deref());
    for e in &inputs.errors {
        eprintln!("eventmap: {e}");
    }
    let ex = Extractor::new(gaz);
    for art in &inputs.articles {
        for line in ex.extract_with(art, true).explain {
            println!("{line}");
        }
        println!();
    }
    Ok(if inputs.errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
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
    for r in ex.extract_all(&inputs.articles) {
        incidents.extend(r.incidents);
        statements.extend(r.statements);
    }
    let opts = OutputOptions {
        geometry: a.geometry,
        formats: a.format,
        excel: a.excel,
        stdout: a.stdout || a.output.is_some(),
    };
    eventmap::output::write_all(&a.out_dir, &incidents, &statements, &opts)
        .context("writing output")?;
    // With --stdout the data goes to stdout, so the summary goes to stderr.
    let summary = format!(
        "eventmap: {} articles read, {} incidents and {} statements written to {}",
        inputs.articles.len(),
        incidents.len(),
        statements.len(),
        if opts.stdout {
            "stdout".into()
        } else {
            a.out_dir.display().to_string()
        }
    );
    if opts.stdout {
        eprintln!("{summary}");
    } else {
        println!("{summary}");
    }
    Ok(if inputs.errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
