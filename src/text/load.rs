//! Loading articles and the manifest (`index.csv`).
//!
//! Bad input never stops the run: each problem becomes an [`InputError`] and
//! every readable article is still returned.

use std::ffi::OsStr;
use std::fs::File;
use std::io::{self, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rayon::prelude::*;

/// One article and what the manifest says about it.
#[derive(Debug, Clone, PartialEq)]
pub struct Article {
    /// The file name (no directory): the `source_file` of its records. When
    /// two input files have the same name (`a/x.txt`, `b/x.txt`), both
    /// are named by their path as given instead, so their ids differ. For
    /// `--jsonl`, the article's `id`.
    pub file: String,
    /// The file read; empty for a `--jsonl` article.
    pub path: PathBuf,
    pub text: String,
    pub publisher: Option<String>,
    pub published: Option<NaiveDate>,
    pub title: Option<String>,
    pub url: Option<String>,
    /// The article's full size in bytes when it was over
    /// [`MAX_ARTICLE_BYTES`] and only its beginning was read (`text`).
    pub cut_from: Option<u64>,
}

/// The most bytes of one article that are read: 1 MiB, more than ten times
/// the longest news report (a 1 MiB article of nothing but periods, the
/// costliest text measured, peaks at about 250 MB). Past it only the beginning is read (cut at a line
/// break or space, see [`cut_point`]) and the rest is reported as skipped:
/// no single input (a log, a table, a whole feed pasted into one file) can
/// cost more than a few hundred MB or minutes.
pub const MAX_ARTICLE_BYTES: usize = 1 << 20;

/// Where to cut `bytes` to at most `max`: after the last line break in its
/// last half, else after the last space there, else at the last character
/// boundary (of UTF-8) before `max`.
pub fn cut_point(bytes: &[u8], max: usize) -> usize {
    if bytes.len() <= max {
        return bytes.len();
    }
    let half = max / 2;
    let tail = &bytes[half..max];
    if let Some(i) = memchr::memrchr(b'\n', tail).or_else(|| memchr::memrchr(b' ', tail)) {
        return half + i + 1;
    }
    let mut i = max;
    while i > 0 && bytes[i] & 0xC0 == 0x80 {
        i -= 1;
    }
    i
}

/// Cut `text` to at most [`MAX_ARTICLE_BYTES`] (see [`cut_point`]);
/// returns its size before, when it was cut.
pub fn cut_article(text: &mut String) -> Option<u64> {
    let len = text.len();
    let at = cut_point(text.as_bytes(), MAX_ARTICLE_BYTES);
    (at < len).then(|| {
        text.truncate(at);
        len as u64
    })
}

/// Bytes shown the way the limits are written (`2 MiB`).
fn mib(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / (1u64 << 20) as f64).replace(".0 MiB", " MiB")
}

/// The warning for an article that was cut: its name (`path`, or
/// `stdin:N`), its size and what was read.
pub fn cut_message(size: u64, kept: usize) -> String {
    format!(
        "article of {} is over the limit of {} per article: only its first {} were read, the rest is skipped; split it into several articles",
        mib(size),
        mib(MAX_ARTICLE_BYTES as u64),
        mib(kept as u64)
    )
}

/// A problem with one input; the others are still processed.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error("{}: cannot read article: {source}", shown(path))]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "{}: not valid UTF-8 text: convert it first (e.g. iconv -f WINDOWS-1252 -t UTF-8)",
        shown(path)
    )]
    NotUtf8 { path: PathBuf },
    #[error("{}: no such file or directory", shown(path))]
    NotFound { path: PathBuf },
    #[error("{}: not a regular file (a FIFO, device or socket): articles are read from files; stream JSON lines with --jsonl - instead", shown(path))]
    NotAFile { path: PathBuf },
    #[error("{}: a symbolic link that leads nowhere (its target is missing, or links loop): fix or remove it", shown(path))]
    BadLink { path: PathBuf },
    #[error("{}: no .txt articles in this directory", shown(path))]
    NoArticles { path: PathBuf },
    #[error("{}: {}", shown(path), cut_message(*size, *kept))]
    Cut {
        path: PathBuf,
        size: u64,
        kept: usize,
    },
    #[error("{}: cannot read manifest: {message}", shown(path))]
    Manifest { path: PathBuf, message: String },
    #[error("{}: manifest has no 'file' column: the header must name file,publisher,published,title,url", shown(path))]
    ManifestNoFileColumn { path: PathBuf },
    #[error(
        "{}:{line}: manifest names {file:?}, which is not among the input articles",
        shown(path)
    )]
    ManifestMissingFile {
        path: PathBuf,
        line: u64,
        file: String,
    },
    #[error("{}:{line}: a quote opened in this row is never closed, so every row after it was read into one cell (their articles get no manifest data); close the quote or double it (\"\")", shown(path))]
    ManifestUnclosedQuote { path: PathBuf, line: u64 },
    #[error("{}:{line}: a second row for {file:?} (the first is line {first}): this later row is used; remove one of them", shown(path))]
    ManifestDuplicate {
        path: PathBuf,
        line: u64,
        first: u64,
        file: String,
    },
    #[error("{}:{line}: published date {value:?} is not YYYY-MM-DD; the date will be read from the text", shown(path))]
    ManifestBadDate {
        path: PathBuf,
        line: u64,
        value: String,
    },
}

/// A path as shown in a message: control characters (a newline, an escape
/// that would drive the terminal) written as escapes.
fn shown(p: &Path) -> String {
    crate::gazetteer::printable(&p.to_string_lossy()).into_owned()
}

/// One line of `--jsonl` input that could not be read, or was read with a
/// warning.
#[derive(Debug, thiserror::Error)]
#[error("{}:{line}: {message}", crate::gazetteer::printable(input))]
pub struct JsonlError {
    /// The input's name: its path, or `stdin`.
    pub input: std::sync::Arc<str>,
    pub line: u64,
    pub message: String,
}

#[derive(serde::Deserialize)]
struct JsonlArticle {
    id: serde_json::Value,
    text: String,
    #[serde(default)]
    published: Option<String>,
    #[serde(default)]
    publisher: Option<String>,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    url: Option<String>,
}

/// Parse one line of `--jsonl` input (of the input named `input`):
/// `{"id": .., "text": .., "published": "YYYY-MM-DD", "publisher": .., "url": ..}`.
/// The `id` (string or number) becomes the article's `source_file`. A
/// byte-order mark before the object is ignored. A `published` that is not
/// a date is a warning (returned with the article, whose date is then read
/// from its text, as for a manifest), as is a text cut at
/// [`MAX_ARTICLE_BYTES`].
pub fn parse_jsonl_line(
    input: &std::sync::Arc<str>,
    line: &str,
    lineno: u64,
) -> Result<(Article, Vec<JsonlError>), JsonlError> {
    let err = |message: String| JsonlError {
        input: input.clone(),
        line: lineno,
        message,
    };
    let line = line.trim_start_matches('\u{feff}');
    let a: JsonlArticle = serde_json::from_str(line).map_err(|e| {
        err(format!(
            "not a JSON article object ({e}); expected {{\"id\":..,\"text\":..}}"
        ))
    })?;
    let id = match a.id {
        serde_json::Value::String(s) if !s.is_empty() => s,
        serde_json::Value::Number(n) => n.to_string(),
        other => {
            return Err(err(format!(
                "\"id\" must be a non-empty string or a number, found {other}"
            )))
        }
    };
    let mut warnings = Vec::new();
    let published = match a
        .published
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        Some(v) => parse_manifest_date(v).or_else(|| {
            warnings.push(err(format!(
                "\"published\" {v:?} is not YYYY-MM-DD: the date is read from the text instead; write it as 2024-05-08"
            )));
            None
        }),
        None => None,
    };
    let mut text = a.text;
    let cut_from = cut_article(&mut text);
    if let Some(size) = cut_from {
        warnings.push(err(cut_message(size, text.len())));
    }
    let article = Article {
        file: id,
        path: PathBuf::new(),
        text,
        publisher: a.publisher,
        published,
        title: a.title,
        url: a.url,
        cut_from,
    };
    Ok((article, warnings))
}

/// Everything read from the command line's inputs.
#[derive(Debug, Default)]
pub struct Inputs {
    pub articles: Vec<Article>,
    pub errors: Vec<InputError>,
}

/// What the manifest says about one article.
#[derive(Debug, Default, Clone)]
struct ManifestRow {
    publisher: Option<String>,
    published: Option<NaiveDate>,
    title: Option<String>,
    url: Option<String>,
}

/// Read every `.txt` article named by `paths` (files, or directories scanned
/// one level deep, sorted by name) and apply the manifest: `manifest` when
/// given, else an `index.csv` inside an input directory.
///
/// All at once; [`list_inputs`] reads the same articles one at a time.
pub fn load_inputs(paths: &[PathBuf], manifest: Option<&Path>) -> Inputs {
    let (mut files, errors) = list_inputs(paths, manifest);
    let mut inputs = Inputs {
        articles: Vec::new(),
        errors,
    };
    for a in files.by_ref() {
        match a {
            Ok(a) => {
                if let Some(e) = a.cut_error() {
                    inputs.errors.push(e);
                }
                inputs.articles.push(a)
            }
            Err(e) => inputs.errors.push(e),
        }
    }
    inputs.errors.extend(files.finish());
    inputs
}

/// The paths of the listed articles, packed: memory per article is its
/// file name and three numbers.
#[derive(Debug, Default)]
struct FileList {
    /// The input directories, and the files given directly (or whose name
    /// is not UTF-8).
    bases: Vec<PathBuf>,
    /// UTF-8 file names of the files in the directories, one after another.
    names: String,
    /// Each file: its base, and its name's start and length in `names`
    /// (length 0: the base is the file).
    files: Vec<(usize, u32, u32)>,
    /// Per file, whether another input file has its name (then it is
    /// named by its path); empty when no two files share a name.
    shared_name: Vec<bool>,
}

impl FileList {
    fn push_base(&mut self, p: PathBuf) -> usize {
        self.bases.push(p);
        self.bases.len() - 1
    }

    fn push_file(&mut self, p: PathBuf) {
        let b = self.push_base(p);
        self.files.push((b, 0, 0));
    }

    /// A file named `name` in the directory `base`.
    fn push_in(&mut self, base: usize, name: &OsStr) {
        let packed = name.to_str().filter(|n| !n.is_empty()).and_then(|n| {
            let start = u32::try_from(self.names.len()).ok()?;
            let len = u32::try_from(n.len()).ok()?;
            start.checked_add(len)?;
            Some((n, start, len))
        });
        match packed {
            Some((n, start, len)) => {
                self.names.push_str(n);
                self.files.push((base, start, len));
            }
            None => {
                let p = self.bases[base].join(name);
                self.push_file(p);
            }
        }
    }

    fn name_of(&self, f: &(usize, u32, u32)) -> &OsStr {
        match *f {
            (b, _, 0) => self.bases[b].file_name().unwrap_or_default(),
            (_, start, len) => OsStr::new(&self.names[start as usize..(start + len) as usize]),
        }
    }

    fn name(&self, i: usize) -> &OsStr {
        self.name_of(&self.files[i])
    }

    fn path(&self, i: usize) -> PathBuf {
        match self.files[i] {
            (b, _, 0) => self.bases[b].clone(),
            (b, _, _) => self.bases[b].join(self.name(i)),
        }
    }

    /// Read file `i`: its name, path and text (a leading byte-order mark
    /// removed; at most [`MAX_ARTICLE_BYTES`] of it).
    fn load(&self, i: usize) -> Result<Loaded, InputError> {
        let path = self.path(i);
        let name = self.name(i).to_string_lossy().into_owned();
        let source = self
            .shared_name
            .get(i)
            .is_some_and(|&s| s)
            .then(|| path.to_string_lossy().into_owned());
        let (bytes, cut_from) = match read_capped(&path) {
            Ok(b) => b,
            Err(source) => return Err(InputError::Read { path, source }),
        };
        let Ok(text) = String::from_utf8(bytes) else {
            return Err(InputError::NotUtf8 { path });
        };
        let text = text
            .strip_prefix('\u{feff}')
            .map(str::to_string)
            .unwrap_or(text);
        Ok(Loaded {
            name,
            source,
            path,
            text,
            cut_from,
        })
    }

    /// Drop a file listed twice (the same path, e.g. a folder and a file in
    /// it both given) and mark files that share their name with another
    /// ([`FileList::shared_name`]). Names are unique within one directory,
    /// so with a single base there is nothing to do.
    fn settle_names(&mut self) {
        if self.bases.len() < 2 {
            return;
        }
        let mut order: Vec<usize> = (0..self.files.len()).collect();
        order.sort_by(|&a, &b| self.name(a).cmp(self.name(b)).then(a.cmp(&b)));
        let mut drop = vec![false; self.files.len()];
        let mut shared = vec![false; self.files.len()];
        for run in order.chunk_by(|&a, &b| self.name(a) == self.name(b)) {
            if run.len() < 2 {
                continue;
            }
            // The same file, however it was named (`seeds`, `./seeds`).
            let real = |i: usize| std::fs::canonicalize(self.path(i)).unwrap_or(self.path(i));
            let mut paths: Vec<(PathBuf, usize)> = run.iter().map(|&i| (real(i), i)).collect();
            paths.sort();
            // Sorted by path, then listing order: the first listing is kept.
            paths.dedup_by(|later, kept| {
                let same = later.0 == kept.0;
                if same {
                    drop[later.1] = true;
                }
                same
            });
            if paths.len() > 1 {
                for (_, i) in paths {
                    shared[i] = true;
                }
            }
        }
        if !shared.contains(&true) && !drop.contains(&true) {
            return;
        }
        let mut keep = drop.iter().map(|d| !d);
        self.files.retain(|_| keep.next().unwrap_or(true));
        self.shared_name = drop
            .iter()
            .zip(&shared)
            .filter(|(d, _)| !**d)
            .map(|(_, s)| *s)
            .collect();
    }

    /// Sort the files from `from` on (all in one directory) by name.
    fn sort_from(&mut self, from: usize) {
        let mut tail = self.files.split_off(from);
        tail.sort_by(|a, b| self.name_of(a).cmp(self.name_of(b)));
        self.files.extend(tail);
    }
}

/// Whether `p` is an article file to read (`true`) or a directory (`false`,
/// given as an argument: scanned; inside one: not an article); anything
/// else (a FIFO, which would block the run, a device, a dangling link or a
/// loop of links, a missing path) is an error.
fn entry_kind(p: &Path) -> Result<bool, InputError> {
    let path = || p.to_path_buf();
    match std::fs::metadata(p) {
        Ok(m) if m.is_file() => Ok(true),
        Ok(m) if m.is_dir() => Ok(false),
        Ok(_) => Err(InputError::NotAFile { path: path() }),
        Err(_) if std::fs::symlink_metadata(p).is_ok() => Err(InputError::BadLink { path: path() }),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Err(InputError::NotFound { path: path() }),
        Err(source) => Err(InputError::Read {
            path: path(),
            source,
        }),
    }
}

/// Read a file, at most [`MAX_ARTICLE_BYTES`] of it (cut at
/// [`cut_point`]); with its full size when it was cut.
fn read_capped(path: &Path) -> io::Result<(Vec<u8>, Option<u64>)> {
    use std::io::Read;
    let f = File::open(path)?;
    let mut bytes = Vec::new();
    (&f).take(MAX_ARTICLE_BYTES as u64 + 1)
        .read_to_end(&mut bytes)?;
    if bytes.len() <= MAX_ARTICLE_BYTES {
        return Ok((bytes, None));
    }
    let size = f.metadata().map_or(bytes.len() as u64, |m| m.len());
    bytes.truncate(cut_point(&bytes, MAX_ARTICLE_BYTES));
    Ok((bytes, Some(size)))
}

/// A file read by [`FileList::load`].
struct Loaded {
    name: String,
    /// The article's name when it is not `name` (see [`Article::file`]).
    source: Option<String>,
    path: PathBuf,
    text: String,
    cut_from: Option<u64>,
}

impl Article {
    /// The prefix of its records' ids (`<prefix>#<n>`): the file name
    /// without its extension, or a `--jsonl` article's whole id (`feed.1`
    /// stays `feed.1`: it has no extension to drop).
    pub fn id_prefix(&self) -> &str {
        if self.path.as_os_str().is_empty() {
            return &self.file;
        }
        self.file.rsplit_once('.').map_or(&self.file, |(s, _)| s)
    }

    /// The warning for an article that was cut ([`Article::cut_from`]).
    pub fn cut_error(&self) -> Option<InputError> {
        self.cut_from.map(|size| InputError::Cut {
            path: self.path.clone(),
            size,
            kept: self.text.len(),
        })
    }
}

/// The articles named on the command line, listed and with the manifest
/// read, but not read yet: iterating reads them one by one, in
/// [`load_inputs`]'s order, as articles or the [`InputError`] of each file
/// that cannot be read. [`ArticleFiles::finish`] then gives the manifest
/// rows that named no input article.
///
/// Memory is a few dozen bytes per article and manifest row (names and
/// positions); a manifest row is read again when its article is.
#[derive(Debug)]
pub struct ArticleFiles {
    list: FileList,
    next: usize,
    manifest: Option<Manifest>,
}

/// List the `.txt` articles named by `paths` (files, or directories scanned
/// one level deep, sorted by name) and read the manifest (`manifest` when
/// given, else an `index.csv` inside an input directory), for reading the
/// articles one at a time. Returns the problems found so far: paths that do
/// not exist, directories without articles or unreadable, manifest errors.
pub fn list_inputs(paths: &[PathBuf], manifest: Option<&Path>) -> (ArticleFiles, Vec<InputError>) {
    let mut errors = Vec::new();
    let mut list = FileList::default();
    let mut found_manifest: Option<PathBuf> = manifest.map(Path::to_path_buf);
    for p in paths {
        if p.is_dir() {
            let rd = match std::fs::read_dir(p) {
                Ok(rd) => rd,
                Err(source) => {
                    errors.push(InputError::Read {
                        path: p.clone(),
                        source,
                    });
                    continue;
                }
            };
            let from = list.files.len();
            let base = list.push_base(p.clone());
            for e in rd.flatten() {
                let f = e.path();
                if f.extension().is_none_or(|x| x != "txt") {
                    continue;
                }
                // The directory entry's type, where it is not a symlink
                // (which `is_file` follows), saves a stat per file.
                let kind = match e.file_type() {
                    Ok(t) if t.is_file() => Ok(true),
                    Ok(t) if t.is_dir() => Ok(false),
                    _ => entry_kind(&f),
                };
                match kind {
                    Ok(true) => list.push_in(base, &e.file_name()),
                    Ok(false) => {}
                    Err(e) => errors.push(e),
                }
            }
            if list.files.len() == from {
                errors.push(InputError::NoArticles { path: p.clone() });
            }
            list.sort_from(from);
            let idx = p.join("index.csv");
            if found_manifest.is_none() && idx.is_file() {
                found_manifest = Some(idx);
            }
        } else {
            match entry_kind(p) {
                Ok(_) => list.push_file(p.clone()),
                Err(e) => errors.push(e),
            }
        }
    }
    list.settle_names();
    let manifest = found_manifest.and_then(|m| Manifest::read(&m, &mut errors));
    // Kept for the whole run: no room to grow.
    list.files.shrink_to_fit();
    list.names.shrink_to_fit();
    let files = ArticleFiles {
        list,
        next: 0,
        manifest,
    };
    (files, errors)
}

impl ArticleFiles {
    /// Files not read yet.
    pub fn remaining(&self) -> usize {
        self.list.files.len() - self.next
    }

    /// Total size of the files not read yet (a `stat` of each; unreadable
    /// ones count 0): the denominator of a progress bar.
    pub fn remaining_bytes(&self) -> u64 {
        (self.next..self.list.files.len())
            .filter_map(|i| std::fs::metadata(self.list.path(i)).ok())
            .map(|m| m.len())
            .sum()
    }

    fn read(&mut self, i: usize) -> Result<Article, InputError> {
        let loaded = self.list.load(i)?;
        Ok(self.article(loaded))
    }

    /// The article of a file's text, with its manifest row.
    fn article(
        &mut self,
        Loaded {
            name,
            source,
            path,
            text,
            cut_from,
        }: Loaded,
    ) -> Article {
        let row = self
            .manifest
            .as_mut()
            .and_then(|m| m.take_row(&name))
            .unwrap_or_default();
        Article {
            file: source.unwrap_or(name),
            path,
            text,
            publisher: row.publisher,
            published: row.published,
            title: row.title,
            url: row.url,
            cut_from,
        }
    }

    /// The next `n` files (fewer at the end, none after the last), as
    /// iterating gives them: the files are read in parallel on the current
    /// rayon pool, their manifest rows then taken in order.
    pub fn next_batch(&mut self, n: usize) -> Vec<Result<Article, InputError>> {
        let end = self.list.files.len().min(self.next.saturating_add(n));
        let list = &self.list;
        let loaded: Vec<Result<Loaded, InputError>> = (self.next..end)
            .into_par_iter()
            .map(|i| list.load(i))
            .collect();
        self.next = end.max(self.next);
        loaded
            .into_iter()
            .map(|l| l.map(|l| self.article(l)))
            .collect()
    }

    /// The manifest rows that name no article read, in manifest order
    /// (call it after reading every article). A row whose file exists beside
    /// the manifest but failed to load is not repeated: that file's error
    /// was given when it was read.
    pub fn finish(self) -> Vec<InputError> {
        let Some(m) = &self.manifest else {
            return Vec::new();
        };
        let mut missing: Vec<&RowAt> = m.rows.iter().filter(|r| !r.used).collect();
        missing.sort_by_key(|r| r.line);
        let dir = m.path.parent().unwrap_or(Path::new("."));
        missing
            .into_iter()
            .filter(|r| !dir.join(m.name(r)).exists())
            .map(|r| InputError::ManifestMissingFile {
                path: m.path.clone(),
                line: r.line,
                file: m.name(r).to_string(),
            })
            .collect()
    }
}

impl Iterator for ArticleFiles {
    type Item = Result<Article, InputError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.next >= self.list.files.len() {
            return None;
        }
        self.next += 1;
        Some(self.read(self.next - 1))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.remaining(), Some(self.remaining()))
    }
}

/// The manifest's columns.
#[derive(Debug, Clone, Copy)]
struct Columns {
    file: usize,
    publisher: Option<usize>,
    published: Option<usize>,
    title: Option<usize>,
    url: Option<usize>,
}

impl Columns {
    /// The columns of this header; `None` without a `file` column.
    fn of(headers: &csv::StringRecord) -> Option<Columns> {
        let col = |name: &str| {
            headers.iter().position(|h| {
                h.trim()
                    .trim_start_matches('\u{feff}')
                    .eq_ignore_ascii_case(name)
            })
        };
        Some(Columns {
            file: col("file")?,
            publisher: col("publisher"),
            published: col("published"),
            title: col("title"),
            url: col("url"),
        })
    }

    /// A cell, trimmed; `None` when absent or empty.
    fn get(rec: &csv::StringRecord, c: Option<usize>) -> Option<String> {
        c.and_then(|i| rec.get(i))
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from)
    }

    /// The published date, or the value that is not a date.
    fn published(&self, rec: &csv::StringRecord) -> Result<Option<NaiveDate>, String> {
        match Self::get(rec, self.published) {
            Some(v) => parse_manifest_date(&v).map(Some).ok_or(v),
            None => Ok(None),
        }
    }

    fn row(&self, rec: &csv::StringRecord) -> ManifestRow {
        ManifestRow {
            publisher: Self::get(rec, self.publisher),
            published: self.published(rec).unwrap_or(None),
            title: Self::get(rec, self.title),
            url: Self::get(rec, self.url),
        }
    }
}

/// Where a manifest row is, and whether an article took it.
#[derive(Debug, Clone, Copy)]
struct RowAt {
    name_start: usize,
    name_len: usize,
    byte: u64,
    line: u64,
    used: bool,
}

/// The manifest, indexed: for each file name the position of its row (the
/// last one naming it), read again when the article is read.
#[derive(Debug)]
struct Manifest {
    path: PathBuf,
    reader: csv::Reader<File>,
    cols: Columns,
    /// The file names of the rows, one after another.
    names: String,
    /// Sorted by name, one per name.
    rows: Vec<RowAt>,
    rec: csv::StringRecord,
}

/// Sort the rows by name and keep one per name: the last, as a map filled
/// in file order keeps; each earlier one is reported.
fn one_row_per_name(path: &Path, names: &str, rows: &mut Vec<RowAt>, errors: &mut Vec<InputError>) {
    let name = |r: &RowAt| &names[r.name_start..r.name_start + r.name_len];
    rows.sort_by(|a, b| name(a).cmp(name(b)).then(b.line.cmp(&a.line)));
    let mut twice = Vec::new();
    rows.dedup_by(|earlier, kept| {
        let same = name(earlier) == name(kept);
        if same {
            twice.push((earlier.line, kept.line, name(kept).to_string()));
        }
        same
    });
    twice.sort();
    errors.extend(
        twice
            .into_iter()
            .map(|(first, line, file)| InputError::ManifestDuplicate {
                path: path.to_path_buf(),
                line,
                first,
                file,
            }),
    );
}

/// What a first pass over a manifest finds about its quotes.
#[derive(Debug, Default)]
struct Quotes {
    /// An odd number of `"`: one was left open.
    odd: bool,
    /// Byte offsets of the line breaks, when the file has quotes (a quoted
    /// cell may span lines, which the csv reader's line count misses).
    newlines: Option<Vec<u64>>,
}

impl Quotes {
    /// The 1-based line of a record starting at `byte`, when it must be
    /// counted here. (After a CRLF the reader's record starts at the LF,
    /// which ends the line before.)
    fn line_of(&self, byte: u64) -> Option<u64> {
        let n = self.newlines.as_ref()?;
        Some(1 + n.partition_point(|&at| at <= byte) as u64)
    }
}

/// Read the file once for its quotes and line breaks, then rewind it.
fn scan_quotes(mut f: File) -> io::Result<(File, Quotes)> {
    use std::io::Read;
    let mut buf = vec![0u8; 64 << 10];
    let (mut quotes, mut newlines) = (0u64, Vec::new());
    let mut at = 0u64;
    loop {
        let n = match f.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        quotes += memchr::memchr_iter(b'"', &buf[..n]).count() as u64;
        newlines.extend(memchr::memchr_iter(b'\n', &buf[..n]).map(|i| at + i as u64));
        at += n as u64;
    }
    f.seek(SeekFrom::Start(0))?;
    let q = Quotes {
        odd: quotes % 2 == 1,
        newlines: (quotes > 0).then_some(newlines),
    };
    Ok((f, q))
}

/// The most a manifest read from a pipe may hold (1 GiB, about ten
/// million rows): it is copied to a temporary file, which must not fill
/// the disk when the pipe never ends.
const MAX_PIPED_MANIFEST: u64 = 1 << 30;

/// Open `path` for reading and seeking; a pipe (`--manifest <(...)`) is
/// first copied to an unnamed temporary file (at most
/// [`MAX_PIPED_MANIFEST`]). A device (`/dev/zero`) is refused.
fn open_seekable(path: &Path) -> io::Result<File> {
    let f = File::open(path)?;
    let meta = f.metadata()?;
    if meta.is_file() {
        return Ok(f);
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if !(t.is_fifo() || t.is_socket()) {
            return Err(io::Error::other(
                "not a file or a pipe (a device?): give the manifest as a CSV file",
            ));
        }
    }
    let mut t = tempfile::tempfile()?;
    let copied = io::copy(&mut io::Read::take(f, MAX_PIPED_MANIFEST + 1), &mut t)?;
    if copied > MAX_PIPED_MANIFEST {
        return Err(io::Error::other(
            "more than 1 GiB from a pipe: write the manifest to a file and give that",
        ));
    }
    t.seek(SeekFrom::Start(0))?;
    Ok(t)
}

impl Manifest {
    /// Read and index the manifest; its problems go to `errors`.
    fn read(path: &Path, errors: &mut Vec<InputError>) -> Option<Manifest> {
        let fail = |message: String| InputError::Manifest {
            path: path.to_path_buf(),
            message,
        };
        let (file, quotes) = match open_seekable(path).and_then(scan_quotes) {
            Ok(f) => f,
            Err(e) => {
                errors.push(fail(e.to_string()));
                return None;
            }
        };
        let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(file);
        let headers = match reader.headers() {
            Ok(h) => h.clone(),
            Err(e) => {
                errors.push(fail(e.to_string()));
                return None;
            }
        };
        let Some(cols) = Columns::of(&headers) else {
            errors.push(InputError::ManifestNoFileColumn {
                path: path.to_path_buf(),
            });
            return None;
        };
        let mut names = String::new();
        let mut rows = Vec::new();
        // The last record, and whether a cell of it spans lines.
        let mut last: Option<(u64, bool)> = None;
        for rec in reader.records() {
            let rec = match rec {
                Ok(r) => r,
                Err(e) => {
                    errors.push(fail(e.to_string()));
                    continue;
                }
            };
            let (byte, line) = rec.position().map_or((0, 0), |p| (p.byte(), p.line()));
            // The csv reader does not count line breaks inside quotes.
            let line = quotes.line_of(byte).unwrap_or(line);
            last = Some((line, rec.iter().any(|c| c.contains('\n'))));
            let Some(file) = Columns::get(&rec, Some(cols.file)) else {
                continue;
            };
            if let Err(value) = cols.published(&rec) {
                errors.push(InputError::ManifestBadDate {
                    path: path.to_path_buf(),
                    line,
                    value,
                });
            }
            rows.push(RowAt {
                name_start: names.len(),
                name_len: file.len(),
                byte,
                line,
                used: false,
            });
            names.push_str(&file);
        }
        // A quote left open runs to the end of the file: the last record
        // then spans lines, and the file has an odd number of quotes.
        if let Some((line, true)) = last {
            if quotes.odd {
                errors.push(InputError::ManifestUnclosedQuote {
                    path: path.to_path_buf(),
                    line,
                });
            }
        }
        one_row_per_name(path, &names, &mut rows, errors);
        rows.shrink_to_fit();
        names.shrink_to_fit();
        Some(Manifest {
            path: path.to_path_buf(),
            reader,
            cols,
            names,
            rows,
            rec: csv::StringRecord::new(),
        })
    }

    fn name(&self, r: &RowAt) -> &str {
        &self.names[r.name_start..r.name_start + r.name_len]
    }

    /// The row naming `file`, marked as taken; `None` when there is none
    /// (or the manifest changed since it was indexed and the row is gone).
    fn take_row(&mut self, file: &str) -> Option<ManifestRow> {
        let i = self
            .rows
            .binary_search_by(|r| self.name(r).cmp(file))
            .ok()?;
        self.rows[i].used = true;
        let mut pos = csv::Position::new();
        pos.set_byte(self.rows[i].byte)
            .set_line(self.rows[i].line.max(1));
        self.reader.seek(pos).ok()?;
        match self.reader.read_record(&mut self.rec) {
            Ok(true) if Columns::get(&self.rec, Some(self.cols.file)).as_deref() == Some(file) => {
                Some(self.cols.row(&self.rec))
            }
            _ => None,
        }
    }
}

/// `YYYY-MM-DD`, optionally followed by a time (`2023-03-06T10:00:00Z`, `2023-03-06 10:00`).
fn parse_manifest_date(v: &str) -> Option<NaiveDate> {
    let head = v.get(..10)?;
    NaiveDate::parse_from_str(head, "%Y-%m-%d").ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, body: &[u8]) {
        std::fs::write(dir.join(name), body).unwrap();
    }

    /// A directory holding these files.
    fn dir_with(files: &[(&str, &[u8])]) -> tempfile::TempDir {
        let d = tempfile::tempdir().unwrap();
        for (name, body) in files {
            write(d.path(), name, body);
        }
        d
    }

    #[test]
    fn articles_are_cut_at_a_line_break_a_space_or_a_character() {
        assert_eq!(cut_point(b"abc", 3), 3);
        assert_eq!(cut_point(b"ab\ncd ef gh", 8), 6);
        assert_eq!(cut_point(b"aaaa\nbb cc dd", 8), 5);
        assert_eq!(cut_point(b"aaaaa bbbbbbb", 8), 6);
        // No break: the last character boundary (the 2-byte 'ä' is kept whole or not at all).
        let s = "aaaaaaaäbbb".as_bytes();
        assert_eq!(cut_point(s, 8), 7);
        assert_eq!(cut_point(s, 9), 9);
        let mut t = "word ".repeat(MAX_ARTICLE_BYTES);
        assert_eq!(cut_article(&mut t), Some(5 * MAX_ARTICLE_BYTES as u64));
        assert!(t.len() <= MAX_ARTICLE_BYTES && t.len() > MAX_ARTICLE_BYTES - 5);
        assert!(t.ends_with(' '));
    }

    #[test]
    fn reads_directory_and_manifest() {
        let d = dir_with(&[
            ("b.txt", b"Second."),
            ("a.txt", b"First."),
            (
                "index.csv",
                b"file,publisher,published,title,url,extra\na.txt,EFE,2014-08-02,T,,x\n",
            ),
        ]);
        let inp = load_inputs(&[d.path().to_path_buf()], None);
        assert!(inp.errors.is_empty(), "{:?}", inp.errors);
        let names: Vec<_> = inp.articles.iter().map(|a| a.file.as_str()).collect();
        assert_eq!(names, ["a.txt", "b.txt"]);
        assert_eq!(inp.articles[0].publisher.as_deref(), Some("EFE"));
        assert_eq!(
            inp.articles[0].published,
            NaiveDate::from_ymd_opt(2014, 8, 2)
        );
        assert_eq!(inp.articles[1].published, None);
    }

    #[test]
    fn bad_inputs_are_reported_and_the_rest_loads() {
        let d = tempfile::tempdir().unwrap();
        write(d.path(), "good.txt", b"Fine.");
        write(d.path(), "latin1.txt", b"Xank\xe4ndi");
        write(
            d.path(),
            "index.csv",
            b"file,published\ngood.txt,2020-13-01\nghost.txt,2020-01-01\n",
        );
        let inp = load_inputs(&[d.path().to_path_buf(), d.path().join("nope.txt")], None);
        assert_eq!(inp.articles.len(), 1);
        let msgs: Vec<String> = inp.errors.iter().map(|e| e.to_string()).collect();
        assert!(
            msgs.iter()
                .any(|m| m.contains("nope.txt") && m.contains("no such file")),
            "{msgs:?}"
        );
        assert!(
            msgs.iter()
                .any(|m| m.contains("latin1.txt") && m.contains("UTF-8")),
            "{msgs:?}"
        );
        assert!(msgs.iter().any(|m| m.contains("ghost.txt")), "{msgs:?}");
        assert!(msgs.iter().any(|m| m.contains("2020-13-01")), "{msgs:?}");
    }

    #[test]
    fn jsonl_lines_parse_or_report() {
        let stdin: std::sync::Arc<str> = "stdin".into();
        let (a, warning) = parse_jsonl_line(
            &stdin,
            "\u{feff}{\"id\": 7, \"text\": \"Clashes.\", \"published\": \"2024-05-08\", \"publisher\": \"Wire\"}",
            1,
        )
        .unwrap();
        assert!(warning.is_empty());
        assert_eq!(a.file, "7");
        assert_eq!(a.published, NaiveDate::from_ymd_opt(2024, 5, 8));
        for (line, frag) in [
            ("not json", "not a JSON article"),
            (r#"{"text": "x"}"#, "missing field `id`"),
            (r#"{"id": "", "text": "x"}"#, "non-empty"),
        ] {
            let e = parse_jsonl_line(&stdin, line, 3).unwrap_err().to_string();
            assert!(
                e.starts_with("stdin:3: ") && e.contains(frag),
                "{line}: {e}"
            );
        }
        let file: std::sync::Arc<str> = "feed.jsonl".into();
        let line = r#"{"id": "a", "text": "x", "published": "May 8"}"#;
        let (a, w) = parse_jsonl_line(&file, line, 4).unwrap();
        assert_eq!(a.published, None);
        assert_eq!(w.len(), 1);
        let w = w[0].to_string();
        assert!(
            w.starts_with("feed.jsonl:4: ") && w.contains("YYYY-MM-DD"),
            "{w}"
        );
    }

    #[test]
    fn manifest_rows_are_found_in_any_order_and_the_last_of_a_name_wins() {
        let d = tempfile::tempdir().unwrap();
        for n in ["a.txt", "b.txt", "c.txt"] {
            write(d.path(), n, b"Text.");
        }
        // Rows out of file order, a quoted title over two lines, CRLF, a BOM,
        // and b.txt twice: its second row counts.
        write(
            d.path(),
            "index.csv",
            "\u{feff}file,title,published,publisher\r\n\
             c.txt,\"Two\r\nlines, quoted\",2021-01-03,C\r\n\
             b.txt,Old,2021-01-01,B0\r\n\
             a.txt,First,,A\r\n\
             b.txt,New,2021-01-02,B1\r\n"
                .as_bytes(),
        );
        let inp = load_inputs(&[d.path().to_path_buf()], None);
        let errors: Vec<String> = inp.errors.iter().map(|e| e.to_string()).collect();
        assert_eq!(errors.len(), 1, "{errors:?}");
        // Lines as an editor shows them (the quoted title spans two).
        assert!(
            errors[0].contains("index.csv:6: a second row for \"b.txt\" (the first is line 4)"),
            "{errors:?}"
        );
        type Meta<'a> = (&'a str, Option<&'a str>, Option<&'a str>, Option<NaiveDate>);
        let got: Vec<Meta> = inp
            .articles
            .iter()
            .map(|a| {
                (
                    a.file.as_str(),
                    a.title.as_deref(),
                    a.publisher.as_deref(),
                    a.published,
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("a.txt", Some("First"), Some("A"), None),
                (
                    "b.txt",
                    Some("New"),
                    Some("B1"),
                    NaiveDate::from_ymd_opt(2021, 1, 2)
                ),
                (
                    "c.txt",
                    Some("Two\r\nlines, quoted"),
                    Some("C"),
                    NaiveDate::from_ymd_opt(2021, 1, 3)
                ),
            ]
        );
    }

    #[test]
    fn lazy_reading_reports_in_order() {
        let d = dir_with(&[
            ("a.txt", b"Fine."),
            ("b_latin1.txt", b"Xank\xe4ndi"),
            ("c.txt", b"\xef\xbb\xbfAlso fine."),
            (
                "index.csv",
                b"file,published\nghost.txt,2020-01-01\nc.txt,2020-13-01\nb_latin1.txt,2020-01-01\n",
            ),
        ]);
        let (mut files, listing) =
            list_inputs(&[d.path().join("nope.txt"), d.path().to_path_buf()], None);
        let msgs =
            |es: &[InputError]| -> Vec<String> { es.iter().map(|e| e.to_string()).collect() };
        let listing = msgs(&listing);
        assert_eq!(listing.len(), 2, "{listing:?}");
        assert!(listing[0].contains("nope.txt") && listing[1].contains("2020-13-01"));
        assert_eq!(files.remaining(), 3);
        assert_eq!(files.remaining_bytes(), 5 + 8 + 13);
        let a = files.next().unwrap().unwrap();
        assert_eq!((a.file.as_str(), a.text.as_str()), ("a.txt", "Fine."));
        let e = files.next().unwrap().unwrap_err().to_string();
        assert!(e.contains("b_latin1.txt") && e.contains("UTF-8"), "{e}");
        let c = files.next().unwrap().unwrap();
        assert_eq!(c.text, "Also fine.", "byte-order mark dropped");
        assert_eq!(c.published, None, "the bad date was reported, not used");
        assert!(files.next().is_none());
        assert_eq!(files.remaining(), 0);
        // ghost.txt is missing; b_latin1.txt exists, and its error was given.
        let end = msgs(&files.finish());
        assert_eq!(end.len(), 1, "{end:?}");
        assert!(
            end[0].contains(":2:") && end[0].contains("ghost.txt"),
            "{end:?}"
        );
    }

    #[test]
    fn batches_read_in_parallel_give_what_iterating_gives() {
        let mut files: Vec<(String, Vec<u8>)> = (0..40)
            .map(|i| (format!("{i:02}.txt"), format!("Article {i}.").into_bytes()))
            .collect();
        files[7].1 = b"Xank\xe4ndi".to_vec();
        files[23].1 = b"\xef\xbb\xbfWith a mark.".to_vec();
        let mut manifest = b"file,publisher,published\n".to_vec();
        for i in (0..40).step_by(3) {
            manifest.extend(format!("{i:02}.txt,P{i},2020-01-{:02}\n", i % 28 + 1).bytes());
        }
        let mut named: Vec<(&str, &[u8])> = files
            .iter()
            .map(|(n, b)| (n.as_str(), b.as_slice()))
            .collect();
        named.push(("index.csv", &manifest));
        named.push(("notes.md", b"not an article"));
        let d = dir_with(&named);
        std::fs::create_dir(d.path().join("sub.txt")).unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(d.path().join("05.txt"), d.path().join("05b.txt")).unwrap();
        let show = |r: Result<Article, InputError>| match r {
            Ok(a) => format!(
                "{} {:?} {:?} {:?}",
                a.file, a.text, a.publisher, a.published
            ),
            Err(e) => e.to_string(),
        };
        let (one, _) = list_inputs(&[d.path().to_path_buf()], None);
        let expected: Vec<String> = one.map(show).collect();
        assert_eq!(expected.len(), if cfg!(unix) { 41 } else { 40 });
        assert!(expected.iter().any(|e| e.contains("UTF-8")));
        for n in [1, 6, 64] {
            let (mut batched, _) = list_inputs(&[d.path().to_path_buf()], None);
            let mut got = Vec::new();
            loop {
                let b = batched.next_batch(n);
                if b.is_empty() {
                    break;
                }
                assert!(b.len() <= n);
                got.extend(b.into_iter().map(show));
            }
            assert_eq!(got, expected, "batches of {n}");
            assert!(batched.next().is_none());
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_piped_manifest_and_a_non_utf8_file_name() {
        use std::os::unix::ffi::OsStrExt;
        let d = tempfile::tempdir().unwrap();
        let odd = OsStr::from_bytes(b"k\xe4nd.txt");
        std::fs::write(d.path().join(odd), b"Text.").unwrap();
        write(d.path(), "a.txt", b"Text.");
        let fifo = d.path().join("manifest.pipe");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        assert!(made.is_ok_and(|s| s.success()), "mkfifo");
        let writer = {
            let fifo = fifo.clone();
            std::thread::spawn(move || {
                std::fs::write(fifo, b"file,publisher\na.txt,Pipe\n").unwrap();
            })
        };
        let inp = load_inputs(&[d.path().to_path_buf()], Some(&fifo));
        writer.join().unwrap();
        assert!(inp.errors.is_empty(), "{:?}", inp.errors);
        assert_eq!(inp.articles.len(), 2);
        assert_eq!(inp.articles[0].publisher.as_deref(), Some("Pipe"));
        assert_eq!(inp.articles[1].path, d.path().join(odd));
        assert_eq!(inp.articles[1].file, "k\u{fffd}nd.txt");
    }

    #[test]
    fn manifest_without_file_column_is_an_error() {
        let d = tempfile::tempdir().unwrap();
        write(d.path(), "a.txt", b"Text.");
        write(d.path(), "index.csv", b"name,published\na.txt,2020-01-01\n");
        let inp = load_inputs(&[d.path().to_path_buf()], None);
        assert_eq!(inp.articles.len(), 1);
        assert!(matches!(
            inp.errors[0],
            InputError::ManifestNoFileColumn { .. }
        ));
    }
}
