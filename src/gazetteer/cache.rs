//! The cache of built gazetteers for `--gazetteer` directories.
//!
//! Parsing a big user directory (a million names) takes seconds; decoding
//! the [`snapshot`](super::snapshot) of what it built takes a fraction of
//! that. [`Gazetteer::load`](super::Gazetteer::load) keeps one cache file
//! per combination of directories, `gazetteer-<hash>.snapshot` in the cache
//! directory, holding the whole built gazetteer (bundled data and every
//! layer) and the problems found while parsing, which are reported again on
//! every run.
//!
//! A cache file is used only when its *stamp* equals the current one,
//! compared byte for byte: the directories as given and their canonical
//! paths (these also name the file), the eventmap version, the snapshot
//! format, a hash of the bundled data and of the gazetteer code (so a
//! rebuilt binary never reads another build's cache, and overwrites it
//! rather than adding a file), and for every file its path, size,
//! modification time and (on Unix) change time, inode and device. Any change, a file added or
//! removed, a `touch`, makes a miss: the directories are parsed again and
//! the file rewritten. A file is written to a temporary file and renamed,
//! so a reader never sees half of one; a truncated or damaged file (wrong
//! length, checksum, or contents) is a miss too. Files changed within the
//! last [`RACY_SECS`] seconds are not cached (the next run does it), because
//! a second change within one timestamp tick would keep the stamp.
//!
//! Only directories of at least [`Cache::MIN_BYTES`] are cached (smaller
//! ones parse in milliseconds). Failing to write the cache is not an error.
//! The cache keeps itself small: a file read is marked as used (its
//! modification time set to now), and after writing one, the least recently
//! used others go until at most [`Cache::MAX_FILES`] files of at most
//! [`Cache::MAX_BYTES`] in all are left (the one just written always stays).
//! Delete the cache directory to clear it; set `EVENTMAP_NO_CACHE=1` to
//! turn it off (see [`Cache::from_env`]).

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use super::layers::Built;
use super::names::hash;
use super::{snapshot, GazetteerError, Problem};

/// Seconds a file must be older than the load to be cached.
pub const RACY_SECS: u64 = 2;

/// Where to keep cache files, and from what size of user data on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cache {
    dir: PathBuf,
    /// Cache only when the user directories' files total at least this many bytes.
    min_bytes: u64,
    /// Seconds a file must be older than the load to be cached.
    racy_secs: u64,
    /// Cache files kept after a write, at most.
    max_files: usize,
    /// Bytes of cache files kept after a write, at most.
    max_bytes: u64,
}

impl Cache {
    /// The default [`Cache::with_min_bytes`]: 1 MiB, about 10,000 places.
    pub const MIN_BYTES: u64 = 1 << 20;

    /// Cache files kept (the most recently used): one per combination of
    /// `--gazetteer` directories.
    pub const MAX_FILES: usize = 8;

    /// Bytes of cache files kept: 2 GiB (a 1,000,000-name directory makes
    /// a file of about 150 MB).
    pub const MAX_BYTES: u64 = 2 << 30;

    /// A cache in `dir` (created when first written).
    pub fn new(dir: impl Into<PathBuf>) -> Cache {
        Cache {
            dir: dir.into(),
            min_bytes: Cache::MIN_BYTES,
            racy_secs: RACY_SECS,
            max_files: Cache::MAX_FILES,
            max_bytes: Cache::MAX_BYTES,
        }
    }

    /// Cache only directories whose files total at least `bytes`.
    pub fn with_min_bytes(mut self, bytes: u64) -> Cache {
        self.min_bytes = bytes;
        self
    }

    /// The cache directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The cache in effect: none when `EVENTMAP_NO_CACHE` is set (to
    /// anything but empty or `0`), else in `$EVENTMAP_CACHE_DIR`, else
    /// `$XDG_CACHE_HOME/eventmap`, else `$HOME/.cache/eventmap` (on Windows
    /// `%LOCALAPPDATA%\eventmap`); none when none of these is set.
    pub fn from_env() -> Option<Cache> {
        Cache::from_vars(|k| std::env::var_os(k))
    }

    /// [`Cache::from_env`] with these environment variables.
    fn from_vars(get: impl Fn(&str) -> Option<std::ffi::OsString>) -> Option<Cache> {
        let var = |k: &str| get(k).filter(|v| !v.is_empty());
        if var("EVENTMAP_NO_CACHE").is_some_and(|v| v != "0") {
            return None;
        }
        let dir = var("EVENTMAP_CACHE_DIR")
            .map(PathBuf::from)
            .or_else(|| var("XDG_CACHE_HOME").map(|d| PathBuf::from(d).join("eventmap")))
            .or_else(|| var("HOME").map(|d| PathBuf::from(d).join(".cache").join("eventmap")))
            .or_else(|| var("LOCALAPPDATA").map(|d| PathBuf::from(d).join("eventmap")))?;
        Some(Cache::new(dir))
    }
}

/// What [`Gazetteer::load_with_cache`](super::Gazetteer::load_with_cache)
/// did with the cache.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CacheUse {
    /// No cache, no user directories, too little data to cache, or a file
    /// that could not be stamped.
    None,
    /// Read the cache file.
    Hit,
    /// Parsed, and wrote the cache file.
    Written,
    /// Parsed; a file changed too recently to be cached (or writing failed).
    NotWritten,
}

/// The files of one gazetteer directory, listed (sorted, as
/// [`read_source_dir`](super::read_source_dir) reads them) and stamped
/// before they are read.
#[derive(Debug)]
pub(crate) struct Listing {
    pub dir: PathBuf,
    pub files: Vec<PathBuf>,
    /// Stamps of the files; `None` when one could not be taken (then the
    /// directory is not cached).
    stamps: Option<Vec<Stamp>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    len: u64,
    /// Nanoseconds since the epoch.
    mtime: i128,
    /// Change time, inode and device (zero where the platform has none).
    ctime: i128,
    ino: u64,
    dev: u64,
}

fn nanos(t: SystemTime) -> i128 {
    match t.duration_since(SystemTime::UNIX_EPOCH) {
        Ok(d) => d.as_nanos() as i128,
        Err(e) => -(e.duration().as_nanos() as i128),
    }
}

fn stamp(p: &Path) -> Option<Stamp> {
    let m = std::fs::metadata(p).ok()?;
    let mtime = nanos(m.modified().ok()?);
    #[cfg(unix)]
    let (ctime, ino, dev) = {
        use std::os::unix::fs::MetadataExt;
        (
            i128::from(m.ctime()) * 1_000_000_000 + i128::from(m.ctime_nsec()),
            m.ino(),
            m.dev(),
        )
    };
    #[cfg(not(unix))]
    let (ctime, ino, dev) = (0, 0, 0);
    Some(Stamp {
        len: m.len(),
        mtime,
        ctime,
        ino,
        dev,
    })
}

impl Listing {
    /// List and stamp the files of `dir` (a missing directory is an error,
    /// as for [`read_source_dir`](super::read_source_dir)).
    pub fn of(dir: &Path) -> Result<Listing, GazetteerError> {
        let files = super::list_source_dir(dir)?;
        let stamps = files.iter().map(|p| stamp(p)).collect();
        Ok(Listing {
            dir: dir.to_path_buf(),
            files,
            stamps,
        })
    }

    /// Read the files, as `(path, contents)` pairs.
    pub fn read(&self) -> Result<Vec<(String, String)>, GazetteerError> {
        super::read_files(&self.files)
    }

    fn bytes(&self) -> u64 {
        self.stamps.iter().flatten().map(|s| s.len).sum()
    }
}

/// The cache file for a load of these directories, and the stamp it must carry.
#[derive(Debug)]
pub(crate) struct Entry {
    path: PathBuf,
    stamp: Vec<u8>,
    /// Whether what is parsed now may be written (no file changed recently).
    writable: bool,
    /// The cache's limits, applied after a write.
    max_files: usize,
    max_bytes: u64,
}

/// The cache entry for loading `dirs` on top of the bundled data (or not),
/// or `None` when these directories are not cached (too small, or a file
/// could not be stamped).
pub(crate) fn entry(cache: &Cache, no_bundled: bool, dirs: &[Listing]) -> Option<Entry> {
    if dirs.iter().map(Listing::bytes).sum::<u64>() < cache.min_bytes {
        return None;
    }
    let now = nanos(SystemTime::now());
    let racy = i128::from(cache.racy_secs) * 1_000_000_000;
    let mut writable = true;
    // What the file is for (its name): the directories and whether the
    // bundled data is under them.
    let mut id = Vec::new();
    put(&mut id, b"eventmap gazetteer cache");
    put(&mut id, &[u8::from(no_bundled)]);
    for d in dirs {
        put(&mut id, d.dir.as_os_str().as_encoded_bytes());
        let canonical = std::fs::canonicalize(&d.dir).ok()?;
        put(&mut id, canonical.as_os_str().as_encoded_bytes());
    }
    // What it was built from: this build of eventmap and every file. Another
    // build overwrites the same file rather than adding one.
    let mut stamp = id.clone();
    put(&mut stamp, env!("CARGO_PKG_VERSION").as_bytes());
    put(&mut stamp, &snapshot::FORMAT.to_le_bytes());
    put(&mut stamp, &super::bundled::SNAPSHOT_HASH.to_le_bytes());
    put(&mut stamp, &super::bundled::CODE_HASH.to_le_bytes());
    for d in dirs {
        let stamps = d.stamps.as_ref()?;
        put(&mut stamp, &(d.files.len() as u64).to_le_bytes());
        for (p, s) in d.files.iter().zip(stamps) {
            put(&mut stamp, p.as_os_str().as_encoded_bytes());
            put(&mut stamp, &s.len.to_le_bytes());
            put(&mut stamp, &s.mtime.to_le_bytes());
            put(&mut stamp, &s.ctime.to_le_bytes());
            put(&mut stamp, &s.ino.to_le_bytes());
            put(&mut stamp, &s.dev.to_le_bytes());
            writable &= s.mtime.max(s.ctime) <= now - racy;
        }
    }
    Some(Entry {
        path: cache
            .dir
            .join(format!("gazetteer-{:016x}.snapshot", hash(&id))),
        stamp,
        writable,
        max_files: cache.max_files,
        max_bytes: cache.max_bytes,
    })
}

/// Remove the least recently used cache files of `dir` (by modification
/// time, which a read sets) until at most `max_files` of at most
/// `max_bytes` in all are left; `keep` stays whatever its size. Files that
/// are not cache files (`gazetteer-*.snapshot`) are left alone; failing to
/// remove one is not an error.
fn evict(dir: &Path, keep: &Path, max_files: usize, max_bytes: u64) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut files: Vec<(SystemTime, u64, PathBuf)> = rd
        .flatten()
        .filter(|e| {
            let n = e.file_name();
            let n = n.to_string_lossy();
            n.starts_with("gazetteer-") && n.ends_with(".snapshot")
        })
        .filter_map(|e| {
            let m = e.metadata().ok()?;
            let used = m.modified().unwrap_or(SystemTime::UNIX_EPOCH);
            Some((used, m.len(), e.path()))
        })
        .filter(|f| f.2 != keep)
        .collect();
    // Newest first.
    files.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.2.cmp(&b.2)));
    let mut count = 1;
    let mut bytes = std::fs::metadata(keep).map_or(0, |m| m.len());
    for (_, len, path) in files {
        count += 1;
        bytes = bytes.saturating_add(len);
        if count > max_files || bytes > max_bytes {
            let _ = std::fs::remove_file(&path);
        }
    }
}

/// Append `b` with its length, so that fields cannot run into each other.
fn put(v: &mut Vec<u8>, b: &[u8]) {
    v.extend_from_slice(&(b.len() as u64).to_le_bytes());
    v.extend_from_slice(b);
}

impl Entry {
    /// The cached gazetteer, if the file exists, carries this entry's
    /// stamp and decodes.
    pub fn read(&self) -> Option<(Built, Vec<Problem>)> {
        let mut f = std::fs::File::open(&self.path).ok()?;
        let size = f.metadata().ok()?.len();
        // The stamp first: a stale file is not read any further.
        let mut len = [0u8; 8];
        f.read_exact(&mut len).ok()?;
        if u64::from_le_bytes(len) != self.stamp.len() as u64 {
            return None;
        }
        let mut stamp = vec![0u8; self.stamp.len()];
        f.read_exact(&mut stamp).ok()?;
        if stamp != self.stamp {
            return None;
        }
        let rest = size.checked_sub(8 + stamp.len() as u64)?;
        let mut snap = Vec::with_capacity(usize::try_from(rest).ok()?);
        f.read_to_end(&mut snap).ok()?;
        if !snapshot::checksum_ok(&snap) {
            return None;
        }
        let built = snapshot::decode(&snap, None, snapshot::Want::Index).ok()?;
        // Used now: the last file an eviction removes. (A read-only cache
        // directory just keeps the old time.)
        if let Ok(f) = std::fs::File::options().append(true).open(&self.path) {
            let _ = f.set_modified(SystemTime::now());
        }
        Some(built)
    }

    /// Write the cache file (atomically: a temporary file renamed into
    /// place), unless a file changed too recently. Returns whether it was
    /// written; failing is not an error (the next run parses again).
    pub fn write(&self, built: &Built, problems: &[Problem]) -> bool {
        self.writable && self.try_write(built, problems).is_some()
    }

    fn try_write(&self, built: &Built, problems: &[Problem]) -> Option<()> {
        let snap = snapshot::encode(built, problems, 0).ok()?.bytes;
        let dir = self.path.parent()?;
        std::fs::create_dir_all(dir).ok()?;
        let mut tmp = tempfile::NamedTempFile::new_in(dir).ok()?;
        let f = tmp.as_file_mut();
        f.write_all(&(self.stamp.len() as u64).to_le_bytes()).ok()?;
        f.write_all(&self.stamp).ok()?;
        f.write_all(&snap).ok()?;
        tmp.persist(&self.path).ok()?;
        evict(dir, &self.path, self.max_files, self.max_bytes);
        Some(())
    }

    /// The cache file.
    #[cfg(test)]
    pub fn path(&self) -> &Path {
        &self.path
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gazetteer::testutil::{assert_same, sample_files, write_places, FIX_ROW};
    use crate::gazetteer::{as_sources, bundled_sources, read_source_dir, Gazetteer, LoadOptions};
    use std::fs::FileTimes;
    use std::time::Duration;

    /// A cache that takes any size and any file age, in a temporary directory.
    fn test_cache(dir: &Path) -> Cache {
        Cache {
            racy_secs: 0,
            ..Cache::new(dir).with_min_bytes(0)
        }
    }

    fn user_dir() -> tempfile::TempDir {
        let d = tempfile::tempdir().unwrap();
        for (p, c) in sample_files() {
            let p = d.path().join(p.trim_start_matches("t/"));
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, c).unwrap();
        }
        write_places(&d.path().join("places/fix.tsv"), &[FIX_ROW]);
        d
    }

    fn opts(dir: &Path) -> LoadOptions {
        LoadOptions {
            no_bundled: false,
            extra_dirs: vec![dir.to_path_buf()],
        }
    }

    fn load(dir: &Path, cache: &Cache) -> (Gazetteer, Vec<Problem>, CacheUse) {
        Gazetteer::load_with_cache(&opts(dir), Some(cache)).unwrap()
    }

    /// What parsing every file gives.
    fn fresh(dir: &Path) -> (Gazetteer, Vec<Problem>) {
        let user = read_source_dir(dir).unwrap();
        Gazetteer::from_layers(&[&bundled_sources(), &as_sources(&user)])
    }

    fn cache_file(dir: &Path, cache: &Cache) -> PathBuf {
        let listing = Listing::of(dir).unwrap();
        entry(cache, false, &[listing])
            .unwrap()
            .path()
            .to_path_buf()
    }

    /// Set a file's modification time `secs` seconds from now.
    fn set_mtime(p: &Path, secs: i64) {
        let t = if secs >= 0 {
            SystemTime::now() + Duration::from_secs(secs as u64)
        } else {
            SystemTime::now() - Duration::from_secs(secs.unsigned_abs())
        };
        let f = std::fs::File::options().write(true).open(p).unwrap();
        f.set_times(FileTimes::new().set_modified(t)).unwrap();
    }

    /// The second load reads the cache and gives what parsing gives:
    /// the same places, names and candidates, the user's override of a
    /// bundled row, and the same problems (reported again).
    #[test]
    fn cache_hit_equals_a_fresh_parse() {
        let (user, cache_dir) = (user_dir(), tempfile::tempdir().unwrap());
        let cache = test_cache(cache_dir.path());
        let (want, want_problems) = fresh(user.path());
        assert_eq!(want_problems.len(), 4, "{want_problems:?}");
        let (g1, p1, u1) = load(user.path(), &cache);
        assert_eq!(u1, CacheUse::Written);
        assert!(cache_file(user.path(), &cache).is_file());
        let (g2, p2, u2) = load(user.path(), &cache);
        assert_eq!(u2, CacheUse::Hit);
        for (g, p) in [(&g1, &p1), (&g2, &p2)] {
            assert_eq!(p, &want_problems);
            assert_same(g, &want);
            assert_eq!(g.by_id("gn-146970").unwrap().name, "Stepanakert");
            assert_eq!(g.by_id("gn-146970").unwrap().source, "my fix");
        }
        // Without the bundled data: another cache file, the same rules.
        let o = LoadOptions {
            no_bundled: true,
            ..opts(user.path())
        };
        let (_, _, u) = Gazetteer::load_with_cache(&o, Some(&cache)).unwrap();
        assert_eq!(u, CacheUse::Written);
        let (g, p, u) = Gazetteer::load_with_cache(&o, Some(&cache)).unwrap();
        assert_eq!(u, CacheUse::Hit);
        let user_files = read_source_dir(user.path()).unwrap();
        let (want, want_problems) = Gazetteer::from_layers(&[&[], &as_sources(&user_files)]);
        assert_eq!(p, want_problems);
        assert_same(&g, &want);
        assert!(g.by_id("country-az").is_none());
        assert!(g.by_id("gn-146970").is_some());
    }

    /// Writing a cache file removes the least recently used others beyond
    /// the limits, and only cache files; a read marks a file as used.
    #[test]
    fn least_recently_used_files_are_evicted() {
        let cache_dir = tempfile::tempdir().unwrap();
        let old = |i: usize| {
            cache_dir
                .path()
                .join(format!("gazetteer-{i:016x}.snapshot"))
        };
        for i in 0..5 {
            std::fs::write(old(i), vec![0u8; 1000]).unwrap();
            // 0 is the oldest, 4 the newest.
            set_mtime(&old(i), -1000 + 10 * i as i64);
        }
        let other = cache_dir.path().join("notes.txt");
        std::fs::write(&other, "not a cache file").unwrap();
        set_mtime(&other, -5000);
        let cache = Cache {
            max_files: 4,
            ..test_cache(cache_dir.path())
        };
        let (user, second) = (user_dir(), user_dir());
        // A read marks the file as used: the oldest, once read, stays.
        let (_, _, u) = load(user.path(), &cache);
        assert_eq!(u, CacheUse::Written);
        let first = cache_file(user.path(), &cache);
        set_mtime(&first, -2000);
        assert_eq!(load(user.path(), &cache).2, CacheUse::Hit);
        // Six files, four kept: the two just used and the two newest of the old.
        assert_eq!(load(second.path(), &cache).2, CacheUse::Written);
        let exists = |p: &Path| p.exists();
        assert!(exists(&first) && exists(&cache_file(second.path(), &cache)));
        let kept: Vec<bool> = (0..5).map(|i| exists(&old(i))).collect();
        assert_eq!(kept, [false, false, false, true, true]);
        assert!(exists(&other), "not a cache file: left alone");
        // A byte limit below the newest file keeps it alone.
        let tight = Cache {
            max_bytes: 1,
            ..cache.clone()
        };
        let fix = user.path().join("places/fix.tsv");
        write_places(&fix, &[FIX_ROW, FIX_ROW]);
        set_mtime(&fix, -10);
        assert_eq!(load(user.path(), &tight).2, CacheUse::Written);
        let left: Vec<_> = std::fs::read_dir(cache_dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".snapshot"))
            .collect();
        assert_eq!(left.len(), 1, "{left:?}");
        assert!(exists(&cache_file(user.path(), &tight)));
    }

    /// A changed size, a touch, other contents of the same size and time
    /// (on Unix: the change time differs), an added file: each is a miss,
    /// and the new contents load.
    #[test]
    fn changed_files_are_a_miss() {
        let (user, cache_dir) = (user_dir(), tempfile::tempdir().unwrap());
        let cache = test_cache(cache_dir.path());
        let fix = user.path().join("places/fix.tsv");
        let used = || load(user.path(), &cache).2;
        assert_eq!(used(), CacheUse::Written);
        assert_eq!(used(), CacheUse::Hit);

        // Size.
        let mut text = std::fs::read_to_string(&fix).unwrap();
        text = text.replace("my fix", "my fix, checked");
        std::fs::write(&fix, &text).unwrap();
        let (g, _, u) = load(user.path(), &cache);
        assert_eq!(u, CacheUse::Written);
        assert_eq!(g.by_id("gn-146970").unwrap().source, "my fix, checked");
        assert_eq!(used(), CacheUse::Hit);

        // A touch (on Unix it changes the change time too).
        set_mtime(&fix, -3600);
        assert_eq!(used(), CacheUse::Written);
        assert_eq!(used(), CacheUse::Hit);

        // Same size and modification time, other contents: the change time
        // differs.
        #[cfg(unix)]
        {
            let before = std::fs::metadata(&fix).unwrap().modified().unwrap();
            std::fs::write(&fix, text.replace("Stepanakert", "Stepanakerd")).unwrap();
            let f = std::fs::File::options().write(true).open(&fix).unwrap();
            f.set_times(FileTimes::new().set_modified(before)).unwrap();
            let (g, _, u) = load(user.path(), &cache);
            assert_eq!(u, CacheUse::Written);
            assert_eq!(g.by_id("gn-146970").unwrap().name, "Stepanakerd");
        }

        // A new file.
        write_places(
            &user.path().join("places/more.tsv"),
            &["x-1\tNew Village\tvillage\tAZ\t\t40.1\t47.1\t\t\tmine"],
        );
        let (g, _, u) = load(user.path(), &cache);
        assert_eq!(u, CacheUse::Written);
        assert!(g.by_id("x-1").is_some());
        let (want, _) = fresh(user.path());
        assert_same(&g, &want);
    }

    /// A truncated, damaged or foreign cache file is ignored and rewritten.
    #[test]
    fn corrupt_cache_file_is_rebuilt() {
        let (user, cache_dir) = (user_dir(), tempfile::tempdir().unwrap());
        let cache = test_cache(cache_dir.path());
        let (want, want_problems) = fresh(user.path());
        assert_eq!(load(user.path(), &cache).2, CacheUse::Written);
        let file = cache_file(user.path(), &cache);
        let good = std::fs::read(&file).unwrap();
        let mut bad_ones = vec![
            good[..good.len() / 2].to_vec(),
            good[..good.len() - 1].to_vec(),
            Vec::new(),
            b"garbage".to_vec(),
        ];
        for at in [good.len() / 3, good.len() / 2, good.len() - 9] {
            let mut d = good.clone();
            d[at] ^= 0x20;
            bad_ones.push(d);
        }
        for bad in bad_ones {
            std::fs::write(&file, &bad).unwrap();
            let (g, p, u) = load(user.path(), &cache);
            assert_eq!(u, CacheUse::Written);
            assert_eq!(p, want_problems);
            assert_same(&g, &want);
            assert_eq!(std::fs::read(&file).unwrap(), good);
        }
    }

    /// Files changed in the last seconds are not cached (a second change in
    /// the same timestamp tick would go unseen); small directories are not
    /// cached at all.
    #[test]
    fn recent_and_small_directories_are_not_cached() {
        let (user, cache_dir) = (user_dir(), tempfile::tempdir().unwrap());
        let recent = Cache::new(cache_dir.path()).with_min_bytes(0);
        assert_eq!(load(user.path(), &recent).2, CacheUse::NotWritten);
        assert_eq!(load(user.path(), &recent).2, CacheUse::NotWritten);
        assert!(!cache_file(user.path(), &recent).exists());
        let small = Cache {
            racy_secs: 0,
            ..Cache::new(cache_dir.path())
        };
        assert_eq!(load(user.path(), &small).2, CacheUse::None);
        assert_eq!(std::fs::read_dir(cache_dir.path()).unwrap().count(), 0);
    }

    /// An unwritable cache directory is not an error.
    #[test]
    fn unwritable_cache_is_ignored() {
        let user = user_dir();
        let file = tempfile::NamedTempFile::new().unwrap();
        let cache = test_cache(&file.path().join("sub"));
        let (g, p, u) = load(user.path(), &cache);
        assert_eq!(u, CacheUse::NotWritten);
        let (want, want_problems) = fresh(user.path());
        assert_eq!(p, want_problems);
        assert_same(&g, &want);
    }

    #[test]
    fn cache_directory_from_the_environment() {
        let vars = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| std::ffi::OsString::from(v))
            }
        };
        let dir = |pairs| Cache::from_vars(vars(pairs)).map(|c| c.dir);
        assert_eq!(dir(&[("HOME", "/h")]), Some("/h/.cache/eventmap".into()));
        assert_eq!(
            dir(&[("HOME", "/h"), ("XDG_CACHE_HOME", "/x")]),
            Some("/x/eventmap".into())
        );
        assert_eq!(
            dir(&[("HOME", "/h"), ("EVENTMAP_CACHE_DIR", "/c")]),
            Some("/c".into())
        );
        assert_eq!(dir(&[("HOME", "/h"), ("EVENTMAP_NO_CACHE", "1")]), None);
        assert_eq!(
            dir(&[("HOME", "/h"), ("EVENTMAP_NO_CACHE", "0")]),
            Some("/h/.cache/eventmap".into())
        );
        assert_eq!(dir(&[("HOME", "")]), None);
        assert_eq!(dir(&[]), None);
    }
}
