//! `eventmap extract`: articles in, map layers out (file mode and `--jsonl`).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;

use eventmap::output::{Format, GeometryMode, OutputOptions, OutputWriter};
use eventmap::text::list_inputs;
use eventmap::Extractor;

use super::load::load_extractor;
use super::progress;

#[derive(clap::Args)]
pub struct ExtractArgs {
    /// Article files (.txt) or directories of them [default: seeds]. Example: eventmap extract articles/ extra.txt
    pub paths: Vec<PathBuf>,
    /// Manifest CSV (file,publisher,published,title,url) [default: index.csv in an input directory]. Example: --manifest feeds/march.csv
    #[arg(long, value_name = "FILE")]
    pub manifest: Option<PathBuf>,
    /// Extra gazetteer directory loaded on top of the bundled one; its rows override bundled rows with the same id (repeatable) [default: none]. Example: --gazetteer my-places/
    #[arg(long, value_name = "DIR")]
    pub gazetteer: Vec<PathBuf>,
    /// Output directory, created if missing. Example: --out-dir maps/
    #[arg(long, value_name = "DIR", default_value = "output")]
    pub out_dir: PathBuf,
    /// Feature geometry in GeoJSON output: `point` (one Point layer that QGIS opens as a single layer; the full geometry is kept in the `wkt` property) or `native` (roads as lines, regions as polygons). Example: --geometry native
    #[arg(long, value_enum, default_value_t = GeometryMode::Point)]
    pub geometry: GeometryMode,
    /// Output formats, comma-separated [default: geojson,csv; with --stdout: geojsonseq]. Example: --format geojson,geojsonseq,csv
    #[arg(long, value_enum, value_delimiter = ',', value_name = "FORMAT")]
    pub format: Vec<Format>,
    /// CSV for spreadsheets: a UTF-8 byte-order mark (so Excel shows Xankəndi) and a leading ' on text cells that look like formulas [default: off]. Example: --excel
    #[arg(long)]
    pub excel: bool,
    /// Write the incidents to stdout (as a GeoJSON text sequence unless --format says otherwise) instead of files [default: off]. Example: eventmap extract seeds --stdout | jq --seq .properties.location
    #[arg(long)]
    pub stdout: bool,
    /// `-o -` is the same as --stdout [default: off]. Example: eventmap extract seeds -o - > incidents.geojsons
    #[arg(short = 'o', long = "output", value_name = "-", value_parser = ["-"])]
    pub output: Option<String>,
    /// Stream mode: read JSON-lines articles ({"id","text","published","publisher","url"}) from FILE
    /// (`-` = stdin) and write incidents to stdout as GeoJSON text sequences, in constant memory.
    /// Example: eventmap extract --jsonl - < articles.jsonl > incidents.geojsons [default: off]
    #[arg(long, value_name = "FILE", conflicts_with = "paths")]
    pub jsonl: Option<PathBuf>,
    /// Use only the gazetteer directories given with --gazetteer, not the bundled data [default: off]. Example: --no-bundled-gazetteer --gazetteer my-places/
    #[arg(long)]
    pub no_bundled_gazetteer: bool,
    /// Worker threads for extraction [default: one per core]. Example: --threads 1
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// Names shown for contested places: a convention from gazetteer/display-names.tsv [default: the
    /// name in current international usage, e.g. Khankendi]. Example: --names hy (Stepanakert, Shushi)
    #[arg(long, value_name = "CONVENTION")]
    pub names: Option<String>,
    /// Memory for sorting the output: past it, sorted records go to temporary files in the output
    /// directory (with --stdout: in $TMPDIR), deleted at the end; the output is the same for any
    /// size. Peak memory is about this plus 115 MB. Bytes, or with K, M or G [default: 32M].
    /// Example: --sort-buffer 256M
    #[arg(long, value_name = "SIZE", value_parser = eventmap::output::parse_size,
          default_value_t = eventmap::output::DEFAULT_SORT_BUFFER, hide_default_value = true)]
    pub sort_buffer: usize,
    /// No progress bar and no summary line [default: off]. Example: -q
    #[arg(short, long)]
    pub quiet: bool,
    /// Do not write map.html (an offline HTML map of the GeoJSON layers) into the output directory [default: written with GeoJSON output]. Example: --no-map
    #[arg(long)]
    pub no_map: bool,
    #[command(flatten)]
    pub events: super::fuse::EventFlags,
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
    let name = if src.as_os_str() == "-" {
        "stdin".into()
    } else {
        src.display().to_string()
    };
    let result = eventmap::stream::stream_jsonl_named(
        &name,
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
    Ok(
        if stats.bad_lines == 0 && stats.warnings == 0 && gazetteer_ok {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(1)
        },
    )
}

pub fn run(a: ExtractArgs) -> anyhow::Result<ExitCode> {
    let paths = if a.paths.is_empty() {
        vec![PathBuf::from("seeds")]
    } else {
        a.paths.clone()
    };
    if let Some(n) = a.threads {
        let (n, capped) = eventmap::stream::worker_threads(n);
        capped.inspect(|w| eprintln!("eventmap: {w}"));
        rayon::ThreadPoolBuilder::new()
            .num_threads(n)
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
    if files.remaining() == 0 {
        anyhow::bail!(eventmap::stream::nothing_read(&listing_errors, &a.out_dir));
    }
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
        writer = writer.with_events(super::fuse::rules(&a.events.rules)?);
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
    if stats.articles == 0 {
        anyhow::bail!(eventmap::stream::nothing_read(&[], &a.out_dir));
    }
    let (_, events) = writer.finish_with_events().context("writing output")?;
    let map_ok = a.no_map
        || opts.stdout
        || !opts.effective_formats().contains(&Format::Geojson)
        || super::map::after_extract(&a.out_dir)?;
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
    if !a.quiet && !stats.unknown_places.is_empty() {
        let shown: Vec<&str> = stats
            .unknown_places
            .iter()
            .take(20)
            .map(String::as_str)
            .collect();
        eprintln!(
            "eventmap: {} place names are not in the gazetteer (add them in a --gazetteer folder; `eventmap explain FILE` shows where): {}{}",
            stats.unknown_places.len(),
            shown.join(", "),
            if stats.unknown_places.len() > shown.len() { ", ..." } else { "" }
        );
    }
    if opts.stdout {
        if !a.quiet {
            eprintln!("{summary}");
        }
    } else if !a.quiet {
        println!("{summary}");
    }
    Ok(
        if listing_errors.is_empty() && stats.input_errors == 0 && gazetteer_ok && map_ok {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(1)
        },
    )
}
