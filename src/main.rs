//! The eventmap command line. Parsing and exit codes only; the work is in the library.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};

use eventmap::gazetteer::{Gazetteer, LoadOptions};
use eventmap::output::{Format, GeometryMode, OutputOptions, OutputWriter};
use eventmap::text::{list_inputs, load_inputs};
use eventmap::Extractor;

mod cli_fuse;

/// mimalloc: extraction allocates many short-lived strings and vectors;
/// glibc malloc spent about 15% of extraction time on them. Built without
/// transparent huge pages (the `no_thp` feature): the kernel zeroed 2 MiB
/// pages for it (1.5-2.5 s of system time in a 50,000-article run with a
/// 1,000,000-name gazetteer), and streaming peaked at about 96 MB against 77.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
    /// Check, search and build the gazetteer.
    ///
    /// Example: eventmap gazetteer lookup Stepanakert
    #[command(subcommand)]
    Gazetteer(GazetteerCommand),
    /// Fuse incidents of earlier runs into events: one per incident, with every source.
    ///
    /// Example: eventmap fuse part-1.geojsonl part-2.geojsonl --out-dir maps/
    Fuse(cli_fuse::FuseArgs),
}

#[derive(clap::Args)]
struct ExplainArgs {
    /// Article files (.txt) or directories of them. Example: eventmap explain seeds/001_405a79c29a6589a7.txt
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Manifest CSV [default: index.csv beside the article]. Example: --manifest seeds/index.csv
    #[arg(long, value_name = "FILE")]
    manifest: Option<PathBuf>,
    /// Extra gazetteer directory loaded on top of the bundled one (repeatable) [default: none]. Example: --gazetteer my-places/
    #[arg(long, value_name = "DIR")]
    gazetteer: Vec<PathBuf>,
    /// Names shown for contested places (see `extract --help`) [default: international usage]. Example: --names hy
    #[arg(long, value_name = "CONVENTION")]
    names: Option<String>,
}

#[derive(Subcommand)]
enum GazetteerCommand {
    /// Check gazetteer files; prints each problem as path:line: message. Exits 1 on errors.
    ///
    /// Example: eventmap gazetteer check gazetteer/
    Check {
        /// Gazetteer directory to check [default: ./gazetteer if it exists, else the data embedded in the binary]. Example: my-places/
        dir: Option<PathBuf>,
    },
    /// Look a place name up (case, diacritic, script and misspelling tolerant).
    ///
    /// Example: eventmap gazetteer lookup Stepanakerd --limit 5
    Lookup {
        /// The name to look up. Example: Xankəndi
        name: String,
        /// Most results to show [default: 10]. Example: --limit 3
        #[arg(
            long,
            value_name = "N",
            default_value_t = 10,
            hide_default_value = true
        )]
        limit: usize,
        /// Extra gazetteer directory loaded on top of the bundled one (repeatable) [default: none]. Example: --gazetteer my-places/
        #[arg(long, value_name = "DIR")]
        gazetteer: Vec<PathBuf>,
        /// Rank places in these countries first among equal scores, comma-separated ISO codes [default: none]. Example: --prefer AZ,AM
        #[arg(long, value_name = "CC,CC", value_delimiter = ',')]
        prefer: Vec<String>,
    },
    /// Convert a GeoNames dump (allCountries.txt, XX.txt, cities500.txt) to a places TSV.
    ///
    /// Example: eventmap gazetteer import-geonames AZ.txt --countries AZ,AM -o gazetteer/places/az.tsv
    ImportGeonames {
        /// GeoNames file in the 19-column geoname layout, with or without a header line. Example: cities500.txt
        file: PathBuf,
        /// Keep only these ISO 3166-1 alpha-2 countries, comma-separated [default: all]. Example: --countries AZ,AM
        #[arg(long, value_name = "CC,CC", value_delimiter = ',')]
        countries: Option<Vec<String>>,
        /// Drop populated places (class P) with fewer inhabitants [default: 0]. Example: --min-population 1000
        #[arg(long, value_name = "N", default_value_t = 0, hide_default_value = true)]
        min_population: u64,
        /// GeoNames admin1CodesASCII.txt (or a level/code/name table) to fill the admin1 column [default: admin1 left empty]. Example: --admin-codes admin1CodesASCII.txt
        #[arg(long, value_name = "FILE")]
        admin_codes: Option<PathBuf>,
        /// Output TSV file [default: standard output]. Example: -o gazetteer/places/az.tsv
        #[arg(short, long, value_name = "OUT.tsv")]
        out: Option<PathBuf>,
    },
}

#[derive(clap::Args)]
struct ExtractArgs {
    /// Article files (.txt) or directories of them [default: seeds]. Example: eventmap extract articles/ extra.txt
    paths: Vec<PathBuf>,
    /// Manifest CSV (file,publisher,published,title,url) [default: index.csv in an input directory]. Example: --manifest feeds/march.csv
    #[arg(long, value_name = "FILE")]
    manifest: Option<PathBuf>,
    /// Extra gazetteer directory loaded on top of the bundled one; its rows override bundled rows with the same id (repeatable) [default: none]. Example: --gazetteer my-places/
    #[arg(long, value_name = "DIR")]
    gazetteer: Vec<PathBuf>,
    /// Output directory, created if missing. Example: --out-dir maps/
    #[arg(long, value_name = "DIR", default_value = "output")]
    out_dir: PathBuf,
    /// Feature geometry in GeoJSON output: `point` (one Point layer that QGIS opens as a single layer; the full geometry is kept in the `wkt` property) or `native` (roads as lines, regions as polygons). Example: --geometry native
    #[arg(long, value_enum, default_value_t = GeometryMode::Point)]
    geometry: GeometryMode,
    /// Output formats, comma-separated [default: geojson,csv; with --stdout: geojsonseq]. Example: --format geojson,geojsonseq,csv
    #[arg(long, value_enum, value_delimiter = ',', value_name = "FORMAT")]
    format: Vec<Format>,
    /// CSV for spreadsheets: a UTF-8 byte-order mark (so Excel shows Xankəndi) and a leading ' on text cells that look like formulas [default: off]. Example: --excel
    #[arg(long)]
    excel: bool,
    /// Write the incidents to stdout (as a GeoJSON text sequence unless --format says otherwise) instead of files [default: off]. Example: eventmap extract seeds --stdout | jq --seq .properties.location
    #[arg(long)]
    stdout: bool,
    /// `-o -` is the same as --stdout [default: off]. Example: eventmap extract seeds -o - > incidents.geojsons
    #[arg(short = 'o', long = "output", value_name = "-", value_parser = ["-"])]
    output: Option<String>,
    /// Stream mode: read JSON-lines articles ({"id","text","published","publisher","url"}) from FILE
    /// (`-` = stdin) and write incidents to stdout as GeoJSON text sequences, in constant memory.
    /// Example: eventmap extract --jsonl - < articles.jsonl > incidents.geojsons [default: off]
    #[arg(long, value_name = "FILE", conflicts_with = "paths")]
    jsonl: Option<PathBuf>,
    /// Use only the gazetteer directories given with --gazetteer, not the bundled data [default: off]. Example: --no-bundled-gazetteer --gazetteer my-places/
    #[arg(long)]
    no_bundled_gazetteer: bool,
    /// Worker threads for extraction [default: one per core]. Example: --threads 1
    #[arg(long, value_name = "N")]
    threads: Option<usize>,
    /// Names shown for contested places: a convention from gazetteer/display-names.tsv [default: the
    /// name in current international usage, e.g. Khankendi]. Example: --names hy (Stepanakert, Shushi)
    #[arg(long, value_name = "CONVENTION")]
    names: Option<String>,
    /// Memory for sorting the output: past it, sorted records go to temporary files in the output
    /// directory (with --stdout: in $TMPDIR), deleted at the end; the output is the same for any
    /// size. Peak memory is about this plus 115 MB. Bytes, or with K, M or G [default: 32M].
    /// Example: --sort-buffer 256M
    #[arg(long, value_name = "SIZE", value_parser = eventmap::output::parse_size,
          default_value_t = eventmap::output::DEFAULT_SORT_BUFFER, hide_default_value = true)]
    sort_buffer: usize,
    /// No progress bar and no summary line [default: off]. Example: -q
    #[arg(short, long)]
    quiet: bool,
    #[command(flatten)]
    events: cli_fuse::EventFlags,
}

/// The progress bar on stderr for long runs.
mod progress {
    use std::cell::Cell;
    use std::io::{IsTerminal, Read};
    use std::rc::Rc;

    use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

    /// Runs of more articles than this get a progress bar.
    pub const MIN_ARTICLES: usize = 256;

    /// A bar only for long runs, when stderr is a terminal and not `--quiet`.
    pub fn wanted(quiet: bool, articles: usize) -> bool {
        !quiet && articles >= MIN_ARTICLES && std::io::stderr().is_terminal()
    }

    fn style(template: &str) -> ProgressStyle {
        ProgressStyle::with_template(template)
            .expect("valid progress template")
            .progress_chars("=> ")
    }

    /// Bar over the article text of file mode: articles done, MB/s, ETA.
    pub fn file_bar(total_bytes: u64) -> ProgressBar {
        let b = ProgressBar::with_draw_target(Some(total_bytes), ProgressDrawTarget::stderr());
        b.set_style(style(
            "eventmap: [{bar:30}] {msg}, {decimal_bytes}/{decimal_total_bytes} at {decimal_bytes_per_sec}, ETA {eta}",
        ));
        b
    }

    /// Bar over the input of `--jsonl`: a bar with ETA when the input size is
    /// known (a file), else a counter (stdin).
    pub fn stream_bar(input_len: Option<u64>) -> ProgressBar {
        let b = ProgressBar::with_draw_target(input_len, ProgressDrawTarget::stderr());
        b.set_style(match input_len {
            Some(_) => style(
                "eventmap: [{bar:30}] {msg}, {decimal_bytes}/{decimal_total_bytes} at {decimal_bytes_per_sec}, ETA {eta}",
            ),
            None => style("eventmap: {msg}, {decimal_bytes} read at {decimal_bytes_per_sec}"),
        });
        b
    }

    /// A reader that counts the bytes read through it.
    pub struct Counting<R> {
        inner: R,
        count: Rc<Cell<u64>>,
    }

    impl<R> Counting<R> {
        pub fn new(inner: R, count: Rc<Cell<u64>>) -> Self {
            Counting { inner, count }
        }
    }

    impl<R: Read> Read for Counting<R> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = self.inner.read(buf)?;
            self.count.set(self.count.get() + n as u64);
            Ok(n)
        }
    }
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
        Command::Gazetteer(c) => gazetteer_command(c),
        Command::Fuse(a) => cli_fuse::run(a),
    }
}

fn gazetteer_command(c: GazetteerCommand) -> anyhow::Result<ExitCode> {
    use eventmap::gazetteer as gz;
    match c {
        GazetteerCommand::Check { dir } => {
            let dir = dir.or_else(|| {
                let d = PathBuf::from("gazetteer");
                d.is_dir().then_some(d)
            });
            let problems = match &dir {
                Some(d) => {
                    let owned = gz::read_source_dir(d)?;
                    let boundaries = gz::Boundaries::for_dir(d)?;
                    gz::check_with_boundaries(&gz::as_sources(&owned), &boundaries)
                }
                None => gz::check(&gz::bundled_sources()),
            };
            for p in &problems {
                println!("{p}");
            }
            let errors = problems.iter().filter(|p| p.is_error).count();
            let what = dir
                .as_ref()
                .map(|d| d.display().to_string())
                .unwrap_or_else(|| "embedded gazetteer".to_string());
            println!(
                "eventmap: checked {what}: {errors} error(s), {} warning(s)",
                problems.len() - errors
            );
            Ok(if errors > 0 {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
        GazetteerCommand::Lookup {
            name,
            limit,
            gazetteer,
            prefer,
        } => {
            let (gaz, problems) = Gazetteer::load(&LoadOptions {
                no_bundled: false,
                extra_dirs: gazetteer,
            })
            .context("loading the gazetteer")?;
            for p in &problems {
                eprintln!("eventmap: {p}");
            }
            let pref = gz::Preference {
                countries: prefer,
                bbox: None,
            };
            let found = gaz.lookup_preferring(&name, limit, &pref);
            print!("{}", gz::format_candidates(&gaz, &found));
            if found.is_empty() {
                eprintln!("eventmap: no place matches {name:?}");
                return Ok(ExitCode::from(1));
            }
            Ok(ExitCode::SUCCESS)
        }
        GazetteerCommand::ImportGeonames {
            file,
            countries,
            min_population,
            admin_codes,
            out,
        } => {
            let admin = match &admin_codes {
                Some(p) => Some(gz::read_admin_names(
                    &std::fs::read_to_string(p)
                        .with_context(|| format!("reading {}", p.display()))?,
                )),
                None => None,
            };
            let f = std::fs::File::open(&file)
                .with_context(|| format!("opening {}", file.display()))?;
            let r = gz::import_geonames_from(
                std::io::BufReader::new(f),
                &file.display().to_string(),
                countries.as_deref(),
                min_population,
                admin.as_ref(),
            );
            for p in &r.problems {
                eprintln!("{p}");
            }
            match &out {
                Some(o) => {
                    std::fs::write(o, &r.tsv).with_context(|| format!("writing {}", o.display()))?
                }
                None => print!("{}", r.tsv),
            }
            eprintln!(
                "eventmap: {} places written, {} rows filtered out, {} bad rows",
                r.written,
                r.filtered,
                r.problems.len()
            );
            Ok(if r.problems.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
    }
}

fn explain(a: ExplainArgs) -> anyhow::Result<ExitCode> {
    let (ex, gazetteer_ok) = load_extractor(a.gazetteer.clone(), false, a.names.as_deref())?;
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
    let mut fused = Vec::new();
    for art in &inputs.articles {
        let r = ex.extract_with(art, true);
        for line in &r.explain {
            println!("{line}");
        }
        println!();
        fused.push((r.incidents, art.published));
    }
    if fused.len() > 1 {
        cli_fuse::explain_events(&fused)
            .iter()
            .for_each(|l| println!("{l}"));
    }
    Ok(if inputs.errors.is_empty() && gazetteer_ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// Load the gazetteer and build the extractor; problems are printed, and
/// `false` says some rows were skipped.
fn load_extractor(
    extra_dirs: Vec<PathBuf>,
    no_bundled: bool,
    names: Option<&str>,
) -> anyhow::Result<(Extractor, bool)> {
    let (mut gaz, problems) = Gazetteer::load(&LoadOptions {
        no_bundled,
        extra_dirs: extra_dirs.clone(),
    })
    .context("loading the gazetteer")?;
    let mut ok = true;
    for p in &problems {
        eprintln!("eventmap: {p}");
        ok &= !p.is_error;
    }
    if let Some(convention) = names {
        let mut owned: Vec<(String, String)> = Vec::new();
        for d in &extra_dirs {
            let p = d.join(eventmap::gazetteer::DISPLAY_FILE);
            if p.is_file() {
                let c = std::fs::read_to_string(&p)
                    .with_context(|| format!("reading {}", p.display()))?;
                owned.push((p.display().to_string(), c));
            }
        }
        let mut files = if no_bundled {
            Vec::new()
        } else {
            eventmap::gazetteer::bundled_sources()
        };
        files.extend(eventmap::gazetteer::as_sources(&owned));
        let known = Gazetteer::display_conventions(&files);
        if !known.iter().any(|k| k == convention) {
            anyhow::bail!(
                "unknown --names convention {convention:?}: known conventions are {}; add rows to display-names.tsv to define one",
                if known.is_empty() { "none".to_string() } else { known.join(", ") }
            );
        }
        let (_, problems) = gaz.apply_display_names(convention, &files);
        for p in &problems {
            eprintln!("eventmap: {p}");
            ok = false;
        }
    }
    // A user's actors.tsv in a --gazetteer directory extends the dictionary.
    let mut extra: Vec<(String, String)> = Vec::new();
    for d in &extra_dirs {
        let p = d.join("actors.tsv");
        if p.is_file() {
            let c =
                std::fs::read_to_string(&p).with_context(|| format!("reading {}", p.display()))?;
            extra.push((p.display().to_string(), c));
        }
    }
    let files: Vec<(&str, &str)> = extra
        .iter()
        .map(|(p, c)| (p.as_str(), c.as_str()))
        .collect();
    let (ex, aproblems) = Extractor::with_actor_files(gaz, &files);
    for p in &aproblems {
        eprintln!("eventmap: {p}");
        ok = false;
    }
    Ok((ex, ok))
}

/// `extract --jsonl FILE`: stream articles to GeoJSON texts on stdout.
fn stream(
    ex: &Extractor,
    src: &std::path::Path,
    a: &ExtractArgs,
    gazetteer_ok: bool,
) -> anyhow::Result<ExitCode> {
    use eventmap::output::geojson::SeqFraming;
    use std::io::BufRead;
    let framing = if a.format.contains(&Format::Geojsonl) {
        SeqFraming::Newline
    } else {
        SeqFraming::Rfc8142
    };
    // Bytes of input read, for the progress bar's rate and ETA.
    let read = std::rc::Rc::new(std::cell::Cell::new(0u64));
    let mut input_len = None;
    let input: Box<dyn BufRead> = if src.as_os_str() == "-" {
        Box::new(std::io::BufReader::with_capacity(
            64 * 1024,
            progress::Counting::new(std::io::stdin().lock(), read.clone()),
        ))
    } else {
        let f =
            std::fs::File::open(src).with_context(|| format!("cannot open {}", src.display()))?;
        input_len = f.metadata().ok().map(|m| m.len());
        Box::new(std::io::BufReader::with_capacity(
            64 * 1024,
            progress::Counting::new(f, read.clone()),
        ))
    };
    let bar: std::cell::OnceCell<indicatif::ProgressBar> = std::cell::OnceCell::new();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let result = eventmap::stream::stream_jsonl(
        ex,
        input,
        &mut out,
        a.geometry,
        framing,
        |e| {
            if let Some(b) = bar.get() {
                b.suspend(|| eprintln!("eventmap: {e}"))
            } else {
                eprintln!("eventmap: {e}")
            }
        },
        |st| {
            if bar.get().is_none() && progress::wanted(a.quiet, st.articles as usize) {
                let _ = bar.set(progress::stream_bar(input_len));
            }
            if let Some(b) = bar.get() {
                b.set_position(read.get());
                b.set_message(format!("{} articles", st.articles));
            }
        },
    );
    if let Some(b) = bar.get() {
        b.finish_and_clear();
    }
    let stats = match result {
        Ok(s) => s,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return Ok(ExitCode::SUCCESS),
        Err(e) => return Err(e).context("streaming"),
    };
    if !a.quiet {
        eprintln!(
            "eventmap: {} articles read, {} incidents written to stdout, {} malformed lines skipped",
            stats.articles, stats.incidents, stats.bad_lines
        );
    }
    Ok(if stats.bad_lines == 0 && gazetteer_ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn extract(a: ExtractArgs) -> anyhow::Result<ExitCode> {
    let paths = if a.paths.is_empty() {
        vec![PathBuf::from("seeds")]
    } else {
        a.paths.clone()
    };
    if let Some(n) = a.threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(n.max(1))
            .build_global()
            .context("setting up worker threads")?;
    }
    let (ex, gazetteer_ok) = load_extractor(
        a.gazetteer.clone(),
        a.no_bundled_gazetteer,
        a.names.as_deref(),
    )?;
    // Lives until the process exits: freeing the gazetteer's hundreds of
    // thousands of strings one by one would only delay the exit.
    let ex = std::mem::ManuallyDrop::new(ex);
    if let Some(src) = &a.jsonl {
        return stream(&ex, src, &a, gazetteer_ok);
    }
    let (files, listing_errors) = list_inputs(&paths, a.manifest.as_deref());
    for e in &listing_errors {
        eprintln!("eventmap: {e}");
    }
    let opts = OutputOptions {
        geometry: a.geometry,
        formats: a.format.clone(),
        excel: a.excel,
        stdout: a.stdout || a.output.is_some(),
    };
    let mut writer = OutputWriter::new(&a.out_dir, &opts)
        .context("writing output")?
        .with_sort_buffer(a.sort_buffer);
    if !a.events.no_events {
        writer = writer.with_events(cli_fuse::rules(&a.events.rules)?);
    }
    let n_articles = files.remaining();
    let bar =
        progress::wanted(a.quiet, n_articles).then(|| progress::file_bar(files.remaining_bytes()));
    let result = eventmap::stream::extract_files(
        &ex,
        files,
        &mut writer,
        |e| match &bar {
            Some(b) => b.suspend(|| eprintln!("eventmap: {e}")),
            None => eprintln!("eventmap: {e}"),
        },
        |bytes, n| {
            if let Some(b) = &bar {
                b.set_position(bytes);
                if n % 64 == 0 || n == n_articles as u64 {
                    b.set_message(format!("{n}/{n_articles} articles"));
                }
            }
        },
    );
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    let stats = result.context("writing output")?;
    let (_, events) = writer.finish_with_events().context("writing output")?;
    // With --stdout the data goes to stdout, so the summary goes to stderr.
    let summary = format!(
        "eventmap: {} articles read, {} incidents{} and {} statements written to {}",
        stats.articles,
        stats.incidents,
        events.map_or(String::new(), |n| format!(" ({n} events)")),
        stats.statements,
        if opts.stdout {
            "stdout".into()
        } else {
            a.out_dir.display().to_string()
        }
    );
    if opts.stdout {
        if !a.quiet {
            eprintln!("{summary}");
        }
    } else if !a.quiet {
        println!("{summary}");
    }
    Ok(
        if listing_errors.is_empty() && stats.input_errors == 0 && gazetteer_ok {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(1)
        },
    )
}
