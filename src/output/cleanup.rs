//! Staged output files never outlive the run that made them.
//!
//! A run stages its files as `.<name>.<pid>-<tag>.tmp` beside their targets
//! (`.incidents.geojson.4121-Xa9k2B.tmp`), and moves the files they replace
//! aside as `.<name>.<pid>-old.tmp` while it swaps the set in (see
//! [`super::OutputWriter::finish`]). On SIGINT or SIGTERM (Unix) the staged
//! files are removed and the moved-aside ones put back before the process
//! exits (status 128 + the signal). After a crash or SIGKILL, the next run
//! into the same directory does it for the processes that no longer run
//! ([`remove_stale`]).

use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Files of this process to clean up on a signal: a staged file (`None`),
/// or a file moved aside and where it was (`Some(target)`).
static STAGED: Mutex<Vec<(PathBuf, Option<PathBuf>)>> = Mutex::new(Vec::new());

fn staged() -> std::sync::MutexGuard<'static, Vec<(PathBuf, Option<PathBuf>)>> {
    STAGED.lock().unwrap_or_else(|e| e.into_inner())
}

/// Create a staged file with `make` and remember it (removed on a signal).
/// The list is locked while the file is made, so a signal handled meanwhile
/// waits for it to be listed (and the handler keeps the lock until the
/// process exits: no file is made after its clean-up).
pub(crate) fn create<T>(
    make: impl FnOnce() -> std::io::Result<T>,
    path_of: impl Fn(&T) -> &Path,
) -> std::io::Result<T> {
    install();
    let mut list = staged();
    let made = make()?;
    list.push((path_of(&made).to_path_buf(), None));
    Ok(made)
}

/// Remember a file moved aside from `target` (put back on a signal).
pub(crate) fn register_aside(aside: &Path, target: &Path) {
    install();
    staged().push((aside.to_path_buf(), Some(target.to_path_buf())));
}

/// Forget the files of `dir` (its run is over: they are in place or gone).
pub(crate) fn forget_dir(dir: &Path) {
    staged().retain(|(p, _)| p.parent() != Some(dir));
}

/// Undo what a signal interrupted: staged files removed, files moved aside
/// put back.
fn clean_up(list: &[(PathBuf, Option<PathBuf>)]) {
    for (p, target) in list.iter().rev() {
        match target {
            None => {
                let _ = std::fs::remove_file(p);
            }
            Some(t) => {
                if p.exists() {
                    let _ = std::fs::rename(p, t);
                }
            }
        }
    }
}

/// Install the signal handler once (Unix: a thread waiting for SIGINT and
/// SIGTERM).
fn install() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        #[cfg(unix)]
        {
            use signal_hook::consts::{SIGINT, SIGTERM};
            if let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM]) {
                std::thread::spawn(move || {
                    if let Some(sig) = signals.forever().next() {
                        // Held until the exit (see `create`).
                        let list = staged();
                        clean_up(&list);
                        std::process::exit(128 + sig);
                    }
                });
            }
        }
    });
}

/// The process id in a staged file's name (`.<name>.<pid>-<tag>.tmp`),
/// `Some(None)` for a staged name without one (written by eventmap before
/// 0.1 named them so), `None` for a file that is not staged output.
fn staged_pid(name: &str) -> Option<Option<u32>> {
    let rest = name.strip_prefix('.')?.strip_suffix(".tmp")?;
    let (target, tag) = rest.rsplit_once('.')?;
    let (stem, ext) = target.split_once('.')?;
    let known = ["geojson", "geojsons", "geojsonl", "csv", "csvt"];
    if !matches!(stem, "incidents" | "statements") || !known.contains(&ext) {
        return None;
    }
    Some(tag.split_once('-').and_then(|(pid, _)| pid.parse().ok()))
}

/// Whether process `pid` may still be running (when it cannot be told: yes).
fn may_run(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    if cfg!(target_os = "linux") {
        return Path::new("/proc").join(pid.to_string()).exists();
    }
    true
}

/// Remove the staged files that runs which no longer run left in `dir` (a
/// moved-aside file whose target is missing is put back instead); files of
/// a run still going, and any other file, are left alone. A staged file
/// without a process id, or one whose process cannot be told, is stale
/// after a day.
pub(crate) fn remove_stale(dir: &Path) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let day = std::time::Duration::from_secs(24 * 3600);
    for e in rd.flatten() {
        let name = e.file_name();
        let Some(pid) = name.to_str().and_then(staged_pid) else {
            continue;
        };
        let old = || {
            e.metadata()
                .and_then(|m| m.modified())
                .is_ok_and(|t| t.elapsed().is_ok_and(|age| age > day))
        };
        let stale = match pid {
            Some(pid) if pid != std::process::id() && cfg!(target_os = "linux") => !may_run(pid),
            _ => old(),
        };
        if !stale {
            continue;
        }
        let path = e.path();
        let name = name.to_string_lossy();
        if name.ends_with("-old.tmp") {
            let target = name[1..]
                .rsplit_once('.')
                .and_then(|(t, _)| t.rsplit_once('.'));
            if let Some((target, _)) = target {
                let target = dir.join(target);
                if std::fs::symlink_metadata(&target).is_err() {
                    let _ = std::fs::rename(&path, &target);
                    continue;
                }
            }
        }
        let _ = std::fs::remove_file(&path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn staged_names_are_told_from_other_files() {
        assert_eq!(
            staged_pid(".incidents.geojson.4121-Xa9k2B.tmp"),
            Some(Some(4121))
        );
        assert_eq!(staged_pid(".statements.csvt.77-old.tmp"), Some(Some(77)));
        assert_eq!(staged_pid(".incidents.csv.Xa9k2B.tmp"), Some(None));
        for other in [
            ".notes.txt.1-a.tmp",
            "incidents.geojson.1-a.tmp",
            ".incidents.geojson",
            ".incidents.pdf.1-a.tmp",
            ".tmp",
        ] {
            assert_eq!(staged_pid(other), None, "{other}");
        }
    }
}
