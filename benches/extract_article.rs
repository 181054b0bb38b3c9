//! Extraction of one article end to end (layout, places, roles, dates,
//! actors, assembly, records), with the bundled gazetteer.
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use eventmap::gazetteer::{Gazetteer, LoadOptions};
use eventmap::text::load_inputs;
use eventmap::Extractor;

fn extract(c: &mut Criterion) {
    let (gaz, _) = Gazetteer::load(&LoadOptions::default()).unwrap();
    let ex = Extractor::new(gaz);
    let mut inputs = load_inputs(&["seeds".into()], None).articles;
    inputs.extend(load_inputs(&["tests/fixtures/articles".into()], None).articles);
    let mut g = c.benchmark_group("extract");
    for a in inputs.iter().take(2) {
        g.throughput(Throughput::Bytes(a.text.len() as u64));
        g.bench_function(format!("article/{}", a.file), |b| b.iter(|| ex.extract(a)));
    }
    let total: usize = inputs.iter().map(|a| a.text.len()).sum();
    g.throughput(Throughput::Bytes(total as u64));
    g.bench_function("all_seeds_and_fixtures_sequential", |b| {
        b.iter(|| inputs.iter().map(|a| ex.extract(a)).collect::<Vec<_>>())
    });
    g.finish();
}

criterion_group!(benches, extract);
criterion_main!(benches);
