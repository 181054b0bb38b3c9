//! Gazetteer load: parse the bundled TSV/GeoJSON into places and a name index,
//! and build the extractor (place matcher, actors automaton) over it.
use criterion::{criterion_group, criterion_main, Criterion};
use eventmap::gazetteer::{Gazetteer, LoadOptions};

fn load(c: &mut Criterion) {
    let mut g = c.benchmark_group("gazetteer");
    g.sample_size(20);
    g.bench_function("load_bundled", |b| {
        b.iter(|| Gazetteer::load(&LoadOptions::default()).unwrap())
    });
    g.bench_function("load_bundled_and_build_extractor", |b| {
        b.iter(|| {
            let (gaz, _) = Gazetteer::load(&LoadOptions::default()).unwrap();
            eventmap::Extractor::new(gaz)
        })
    });
    g.finish();
}

criterion_group!(benches, load);
criterion_main!(benches);
