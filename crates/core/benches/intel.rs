//! Criterion benchmarks of the campaign loop's decisions, on one thread: assigning a flagged
//! session to its campaign (with a warm index of 100,000 sessions), sketching a script's text,
//! extracting a text's indicators, and deciding a reputation when a report arrives.
//!
//! `cargo bench -p scamguard-core --bench intel`

use criterion::{criterion_group, criterion_main, Criterion};
use scamguard_core::intel::indicator::from_text;
use scamguard_core::intel::reputation::{assess, assess_report, ReportFact, ReputationRule};
use scamguard_core::intel::{sketch, Indicator, IndicatorKind, Joiner, SessionIndicators};
use scamguard_core::lexicon::Lexicons;
use scamguard_core::policy::Policy;
use std::hint::black_box;

const SCRIPT: &str = "您好，这里是上海市公安局刑侦支队，您名下的银行卡涉嫌一起洗钱案件，涉案金额380000元，请把资金转到安全账户6222 0212 3456 7890 123进行核查，有问题回拨 +852 5555 0199，登录 gov-case123.top 查看通缉令。";

/// A session as a ring's would look: an account, a number, a domain, text bands.
fn session(i: u64) -> (SessionIndicators, Indicator) {
    let ring = i % 5_000;
    let mut s = SessionIndicators::new();
    s.insert(Indicator::new(
        IndicatorKind::BankAccount,
        format!("6222{ring:015}"),
    ));
    s.insert(Indicator::new(
        IndicatorKind::CallbackNumber,
        format!("85255{ring:06}"),
    ));
    s.insert(Indicator::new(
        IndicatorKind::Domain,
        format!("case{ring}.top"),
    ));
    for b in 0..18 {
        s.insert(Indicator::new(
            IndicatorKind::Text,
            format!("b{b:02}:{ring:016x}"),
        ));
    }
    (s, Indicator::caller(&format!("{:016x}", i * 7919)))
}

fn assignment(c: &mut Criterion) {
    let lex = Lexicons::builtin().unwrap();
    let rule = Policy::builtin().settings.frequency_rule();
    let mut joiner = Joiner::new(&lex, rule);
    for i in 0..100_000 {
        let (s, h) = session(i);
        joiner.join(&s, Some(&h));
    }
    let mut i = 100_000u64;
    c.bench_function(
        "intel/join_flagged_session (warm index, 100k sessions)",
        |b| {
            b.iter(|| {
                i += 1;
                let (s, h) = session(i);
                black_box(joiner.join(&s, Some(&h)))
            })
        },
    );
    c.bench_function("intel/sketch_script_text", |b| {
        b.iter(|| black_box(sketch::bands(black_box(SCRIPT))))
    });
    c.bench_function("intel/extract_indicators", |b| {
        b.iter(|| {
            let mut s = SessionIndicators::new();
            from_text(black_box(SCRIPT), &mut s);
            black_box(s.len())
        })
    });
}

fn reports(c: &mut Criterion) {
    let rule = ReputationRule {
        min_reporters: 3,
        window_days: 14,
    };
    let now = 1_800_000_000_000i64;
    // A handle with 200 reports on file, 20 of them by one account.
    let facts: Vec<ReportFact> = (0..200)
        .map(|i| ReportFact {
            reporter: format!("{:016x}", if i < 20 { 1 } else { i }),
            at: now - i64::from(i) * 3_600_000,
            counted: i % 7 != 0,
        })
        .collect();
    c.bench_function("intel/report (check + reputation over 200 reports)", |b| {
        b.iter(|| {
            let check = assess_report(
                black_box("00000000000000aa"),
                Some("00000000000000aa"),
                false,
            );
            black_box(check);
            black_box(assess(black_box(&facts), None, false, now, &rule))
        })
    });
}

criterion_group!(benches, assignment, reports);
criterion_main!(benches);
