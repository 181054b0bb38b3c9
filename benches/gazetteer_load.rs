//! Gazetteer load: decode the bundled snapshot into places and a name index
//! (and, for comparison, parse the bundled TSV/GeoJSON as `from_sources`
//! does), and build the extractor (place matcher, actors automaton) over it.
//!
//! With `target/bench/gaz-1m` present (`python3 scripts/bench_data.py
//! gazetteer 1000000 1 target/bench/gaz-1m`), also the 1M-name user
//! directory: parsed (no cache) and read from a cache in a temporary
//! directory, not timing the drop of the result (about 0.3 s for a million
//! places). The bundled cases time the drop too, as they always did. All run
//! in one warm process; `examples/startup.rs` measures a fresh one.
use criterion::{criterion_group, criterion_main, Criterion};
use eventmap::gazetteer::{bundled_sources, Cache, CacheUse, Gazetteer, LoadOptions};
use std::time::Duration;

fn load(c: &mut Criterion) {
    let mut g = c.benchmark_group("gazetteer");
    g.sample_size(20);
    g.bench_function("load_bundled", |b| {
        b.iter(|| Gazetteer::load(&LoadOptions::default()).unwrap())
    });
    g.bench_function("parse_bundled", |b| {
        let files = bundled_sources();
        b.iter(|| Gazetteer::from_sources(&files))
    });
    g.bench_function("load_bundled_and_build_extractor", |b| {
        b.iter(|| {
            let (gaz, _) = Gazetteer::load(&LoadOptions::default()).unwrap();
            eventmap::Extractor::new(gaz)
        })
    });
    g.finish();

    let dir = std::path::Path::new("target/bench/gaz-1m");
    if !dir.is_dir() {
        eprintln!("gazetteer/load_1m_*: skipped, {} missing", dir.display());
        return;
    }
    let opts = LoadOptions {
        no_bundled: false,
        extra_dirs: vec![dir.to_path_buf()],
    };
    let mut g = c.benchmark_group("gazetteer");
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(20));
    g.bench_function("load_1m_no_cache", |b| {
        b.iter_with_large_drop(|| Gazetteer::load_with_cache(&opts, None).unwrap())
    });
    let tmp = tempfile::tempdir().unwrap();
    let cache = Cache::new(tmp.path());
    let (_, _, first) = Gazetteer::load_with_cache(&opts, Some(&cache)).unwrap();
    if first == CacheUse::Written {
        g.bench_function("load_1m_cached", |b| {
            b.iter_with_large_drop(|| {
                let (gaz, _, used) = Gazetteer::load_with_cache(&opts, Some(&cache)).unwrap();
                assert_eq!(used, CacheUse::Hit);
                gaz
            })
        });
    } else {
        eprintln!("gazetteer/load_1m_cached: skipped, the cache was not written ({first:?})");
    }
    g.finish();
}

criterion_group!(benches, load);
criterion_main!(benches);
