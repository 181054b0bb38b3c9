//! Prints how long each start-up stage takes (gazetteer load, matcher build,
//! extractor build; the matcher shares the first-word table the gazetteer
//! loads with it). Arguments are extra gazetteer directories, as with
//! `--gazetteer`: `cargo run --release --example startup -- target/bench/gaz-1m`.
//!
//! The bundled gazetteer is decoded from the snapshot embedded at build
//! time. A directory of 1 MiB or more is parsed on the first run, which
//! writes the cache (`$EVENTMAP_CACHE_DIR`, else `~/.cache/eventmap`; not
//! for files changed in the last 2 s), and read from the cache on later
//! runs; `EVENTMAP_NO_CACHE=1` always parses. The line says which.
use eventmap::gazetteer::{Cache, Gazetteer, LoadOptions};
use std::time::Instant;
fn main() {
    let extra_dirs: Vec<std::path::PathBuf> = std::env::args_os().skip(1).map(Into::into).collect();
    let opts = LoadOptions {
        no_bundled: false,
        extra_dirs,
    };
    let t = Instant::now();
    let (g, p, cache) = Gazetteer::load_with_cache(&opts, Cache::from_env().as_ref()).unwrap();
    let t1 = t.elapsed();
    let n = g.places.len();
    let names = g.names().count();
    let first_words = g.first_words().len();
    let t2 = Instant::now();
    let m = eventmap::places::Matcher::new(&g);
    let t3 = t2.elapsed();
    let t4 = Instant::now();
    let ex = eventmap::Extractor::new(g);
    let t5 = t4.elapsed();
    drop((m, ex));
    println!(
        "load {t1:?} ({n} places, {names} names, {first_words} first words, {} problems, cache: {cache:?}), matcher {t3:?}, extractor {t5:?}",
        p.len()
    );
}
