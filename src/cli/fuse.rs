//! `eventmap fuse` and the events flags of `extract`. Parsing and exit
//! codes only; the work is in [`eventmap::events`].

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;

use eventmap::events::{self, FuseOptions, NightWords, Rules, TypeTable};
use eventmap::output::{Format, OutputError};
use eventmap::record::Record;

/// The fusion rules' settings (shared by `extract` and `fuse`).
#[derive(clap::Args, Debug, Clone)]
pub struct RuleFlags {
    /// Two places at most this many km apart are one place when one of them is imprecise
    /// (geo_precision 2: near a place, a district, a road) [default: 10]. Example: --fuse-km 5
    #[arg(long, value_name = "KM", default_value_t = events::rules::DEFAULT_FUSE_KM, hide_default_value = true)]
    pub fuse_km: f64,
    /// Two named sites (geo_precision 1) with different gazetteer entries are one place only
    /// this close [default: 2]. Example: --site-km 1
    #[arg(long, value_name = "KM", default_value_t = events::rules::DEFAULT_SITE_KM, hide_default_value = true)]
    pub site_km: f64,
    /// Sub-event types that may be one incident (TSV: sub_event_type_a, sub_event_type_b, tie)
    /// [default: the bundled gazetteer/fusion-types.tsv]. Example: --fusion-types my-types.tsv
    #[arg(long, value_name = "FILE")]
    pub fusion_types: Option<PathBuf>,
    /// Words that place a report at night (TSV: phrase) [default: the bundled
    /// gazetteer/fusion-night.tsv]. Example: --night-words night.tsv
    #[arg(long, value_name = "FILE")]
    pub night_words: Option<PathBuf>,
}

/// The events flags of `extract`.
#[derive(clap::Args, Debug, Clone)]
pub struct EventFlags {
    /// Do not write the events layer (events.geojson, events.csv) nor the incidents' event_id
    /// [default: off]. Example: --no-events
    #[arg(long)]
    pub no_events: bool,
    #[command(flatten)]
    pub rules: RuleFlags,
}

/// The rules the flags give.
pub fn rules(f: &RuleFlags) -> anyhow::Result<Rules> {
    for (name, km) in [("--fuse-km", f.fuse_km), ("--site-km", f.site_km)] {
        if !(km.is_finite() && km >= 0.0) {
            anyhow::bail!("{name} {km:?}: give a distance in km of 0 or more (e.g. {name} 5)");
        }
    }
    let read = |p: &PathBuf| {
        std::fs::read_to_string(p).with_context(|| format!("reading {}", p.display()))
    };
    let types = match &f.fusion_types {
        Some(p) => TypeTable::parse(&p.display().to_string(), &read(p)?)?,
        None => TypeTable::bundled(),
    };
    let night = match &f.night_words {
        Some(p) => NightWords::parse(&p.display().to_string(), &read(p)?)?,
        None => NightWords::bundled(),
    };
    Ok(Rules {
        options: FuseOptions {
            fuse_km: f.fuse_km,
            site_km: f.site_km,
        },
        types,
        night,
    })
}

/// `eventmap fuse`: incidents in, events out.
#[derive(clap::Args, Debug)]
pub struct FuseArgs {
    /// Incident layers of earlier runs: GeoJSON FeatureCollections, GeoJSON text sequences or
    /// one feature per line (`-` = stdin); events layers are read too. Example: eventmap fuse
    /// part-*.geojsonl
    #[arg(required = true, value_name = "FILE")]
    pub paths: Vec<PathBuf>,
    /// Output directory, created if missing [default: output]. Example: --out-dir maps/
    #[arg(
        long,
        value_name = "DIR",
        default_value = "output",
        hide_default_value = true
    )]
    pub out_dir: PathBuf,
    /// Output formats, comma-separated [default: geojson,csv; with --stdout: geojsonseq].
    /// Example: --format geojson,geojsonl
    #[arg(long, value_enum, value_delimiter = ',', value_name = "FORMAT")]
    pub format: Vec<Format>,
    /// CSV for spreadsheets (byte-order mark, formulas made inert) [default: off]. Example: --excel
    #[arg(long)]
    pub excel: bool,
    /// Write the events to stdout (a GeoJSON text sequence unless --format says otherwise)
    /// instead of files [default: off]. Example: eventmap fuse a.geojsons --stdout
    #[arg(long)]
    pub stdout: bool,
    /// `-o -` is the same as --stdout [default: off]. Example: eventmap fuse a.geojsonl -o -
    #[arg(short = 'o', long = "output", value_name = "-", value_parser = ["-"])]
    pub output: Option<String>,
    /// Manifest CSV of the articles (columns file and published) to know publication dates:
    /// reports one day apart fuse when their articles were published on different days
    /// [default: none; eventmap's incidents carry no publication date]. Example: --manifest articles/index.csv
    #[arg(long, value_name = "FILE")]
    pub manifest: Option<PathBuf>,
    /// Print why the reports of each fused event were joined [default: off]. Example: --explain
    #[arg(long)]
    pub explain: bool,
    /// No summary line [default: off]. Example: -q
    #[arg(short, long)]
    pub quiet: bool,
    #[command(flatten)]
    pub rules: RuleFlags,
}

/// Run `eventmap fuse`.
pub fn run(a: FuseArgs) -> anyhow::Result<ExitCode> {
    let rules = rules(&a.rules)?;
    let mut bad_manifest = false;
    let published = match &a.manifest {
        Some(p) => {
            let text =
                std::fs::read_to_string(p).with_context(|| format!("reading {}", p.display()))?;
            let (dates, problems) =
                events::read::read_manifest_dates(&p.display().to_string(), &text);
            for e in &problems {
                eprintln!("eventmap: {e}");
            }
            bad_manifest = !problems.is_empty();
            dates
        }
        None => Default::default(),
    };
    let (collector, stats, failed) =
        events::read::collect_paths(&a.paths, &rules.night, &published, |e| {
            eprintln!("eventmap: {e}")
        });
    let layer = events::build_layer(&collector, &rules, false);
    let to_stdout = a.stdout || a.output.is_some();
    if a.explain {
        for line in events::explain_lines(&layer) {
            if to_stdout {
                eprintln!("{line}");
            } else {
                println!("{line}");
            }
        }
    }
    let mut formats: Vec<Format> = Vec::new();
    for f in &a.format {
        if !formats.contains(f) {
            formats.push(*f);
        }
    }
    let where_to = if to_stdout {
        let format = match formats.as_slice() {
            [] => Format::Geojsonseq,
            [f] => *f,
            _ => anyhow::bail!("--stdout takes one format, got {}", formats.len()),
        };
        let stdout = std::io::stdout();
        let mut w = std::io::BufWriter::new(stdout.lock());
        let r = events::write::write_layer(&mut w, layer.events(), format, a.excel)
            .and_then(|()| std::io::Write::flush(&mut w));
        match r {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
            r => r.context("writing to stdout")?,
        }
        "stdout".to_string()
    } else {
        if formats.is_empty() {
            formats = vec![Format::Geojson, Format::Csv];
        }
        std::fs::create_dir_all(&a.out_dir).map_err(|source| OutputError::CreateDir {
            path: a.out_dir.clone(),
            source,
        })?;
        let staged = events::write::stage(&a.out_dir, &layer, &formats, a.excel)?;
        events::write::persist(staged)?;
        a.out_dir.display().to_string()
    };
    if !a.quiet {
        eprintln!(
            "eventmap: {} features read, {} skipped, {} events written to {where_to}",
            stats.features,
            stats.skipped,
            layer.len()
        );
    }
    Ok(if stats.skipped == 0 && failed == 0 && !bad_manifest {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// For `explain` on several articles: how their incidents fuse.
pub fn explain_events(articles: &[(Vec<Record>, Option<chrono::NaiveDate>)]) -> Vec<String> {
    let rules = Rules::default();
    let mut c = events::Collector::new();
    for (records, published) in articles {
        for r in records {
            let d = events::Draft::from_record(r, *published);
            let night = rules.night.says_night(&d.evidence);
            c.push(d, night);
        }
    }
    let mut out = vec!["events across these articles:".to_string()];
    out.extend(events::explain_lines(&events::build_layer(
        &c, &rules, false,
    )));
    out
}
