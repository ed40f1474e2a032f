//! Criterion benchmarks of the text classifier on one thread: the model alone (normalise,
//! hash, score), its explanation, and message scans with and without it.
//!
//! `cargo bench -p scamguard-core --bench model`
//!
//! With `SCAMGUARD_BENCH_MODEL=FILE` (a model written by `scamguard train`, e.g. one of 2^20
//! buckets whose 2 MiB table does not fit in L2), `model_file/*` measures that model too.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use scamguard_core::model::{Class, Model};
use scamguard_core::text::Normalised;
use scamguard_core::{Engine, Locale};
use std::hint::black_box;

/// Typical received messages: legitimate, spam and scam, English and Chinese.
const MESSAGES: &[&str] = &[
    "Are we still on for dinner at 7? I booked the Thai place.",
    "Your Apple ID code is 482913. Don't share it with anyone.",
    "URGENT! You have won a £2000 prize GUARANTEED. Call 09061701461 from land line. Claim code K52. Valid 12hrs only",
    "USPS: your package is on hold due to an incomplete address. Update at usps.com-track.top reply Y",
    "Hi Mum, my phone broke, this is my new number. Can you pay this invoice for me today?",
    "Free entry in 2 a wkly comp to win FA Cup final tkts 21st May 2005. Text FA to 87121 to receive entry question(std txt rate)T&C's apply",
    "Ok lar... Joking wif u oni... see you at the station at six",
    "Chase: a purchase of $42.10 at STARBUCKS was made with your card ending 4412.",
    "This is the fraud team at your bank. Move your savings to a safe account now and don't tell the branch staff.",
    "Sorry, I'll call later, in a meeting",
    "你好，这里是厦门市公安局刑侦支队，你名下的银行卡涉嫌洗钱，请配合调查，不要告诉家人。",
    "【菜鸟驿站】您的包裹已到站，凭取件码8-3-1024到学府路店取件。",
];

fn benches(c: &mut Criterion) {
    let model = Model::builtin();
    let n = MESSAGES.len() as u64;

    let mut g = c.benchmark_group("model");
    g.throughput(Throughput::Elements(n));
    g.bench_function(BenchmarkId::new("predict_text", n), |b| {
        b.iter(|| {
            for m in MESSAGES {
                black_box(model.predict_text(black_box(m)));
            }
        })
    });
    let normalised: Vec<Normalised> = MESSAGES.iter().map(|m| Normalised::new(m)).collect();
    g.bench_function(BenchmarkId::new("predict_normalised", n), |b| {
        b.iter(|| {
            for m in &normalised {
                black_box(model.predict(black_box(m)));
            }
        })
    });
    g.bench_function(BenchmarkId::new("explain_top3", n), |b| {
        b.iter(|| {
            for m in &normalised {
                black_box(model.explain(black_box(m), Class::Scam, 3));
            }
        })
    });
    g.finish();

    if let Some(path) = std::env::var_os("SCAMGUARD_BENCH_MODEL") {
        let bytes = std::fs::read(&path).expect("read SCAMGUARD_BENCH_MODEL");
        let file = Model::from_bytes(&bytes).expect("a model file");
        let mut g = c.benchmark_group("model_file");
        g.throughput(Throughput::Elements(n));
        g.bench_function(BenchmarkId::new("predict_text", n), |b| {
            b.iter(|| {
                for m in MESSAGES {
                    black_box(file.predict_text(black_box(m)));
                }
            })
        });
        g.bench_function(BenchmarkId::new("predict_normalised", n), |b| {
            b.iter(|| {
                for m in &normalised {
                    black_box(file.predict(black_box(m)));
                }
            })
        });
        g.finish();
    }

    let engine = Engine::builtin().expect("built-in engine");
    let rules = engine.without_model();
    let mut g = c.benchmark_group("message_scan");
    g.throughput(Throughput::Elements(n));
    g.bench_function(BenchmarkId::new("with_model", n), |b| {
        b.iter(|| {
            for m in MESSAGES {
                black_box(engine.scan_message(black_box(m), None, Locale::En));
            }
        })
    });
    g.bench_function(BenchmarkId::new("rules_only", n), |b| {
        b.iter(|| {
            for m in MESSAGES {
                black_box(rules.scan_message(black_box(m), None, Locale::En));
            }
        })
    });
    g.finish();
}

criterion_group!(model_benches, benches);
criterion_main!(model_benches);
