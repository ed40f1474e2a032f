//! Criterion benchmarks of the engine's hot paths, on one thread:
//! display-name checks, message scans, URL scans and a whole case.
//!
//! `cargo bench -p scamguard-core --bench engine`

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use scamguard_core::samples::{MESSAGES, NAMES, URLS};
use scamguard_core::{Case, Engine, Locale};
use std::hint::black_box;

const CASE: &str = r#"{"channel":"video_call","locale":"zh-Hans",
  "from":{"handle":"+1 213 555 0147","display_name":"厦门市公安局","in_contacts":false},
  "events":[{"type":"call_offer"},
    {"type":"speech","speaker":"remote","text":"你好，这里是厦门市公安局刑侦支队，你名下的银行卡涉嫌洗钱。"},
    {"type":"speech","speaker":"remote","text":"案件保密，找个没人的房间，不要告诉家人。"},
    {"type":"screen_share_request","initiator":"remote","app":"facetime"},
    {"type":"screen_share_started"},
    {"type":"app_foreground","app":"工商银行","category":"banking"},
    {"type":"otp_received","sender":"95588","text":"验证码：392817"},
    {"type":"payment","amount":30000,"currency":"CNY","payee":"new"},
    {"type":"call_ended"}]}"#;

fn benches(c: &mut Criterion) {
    let engine = Engine::builtin().expect("built-in engine");

    let mut g = c.benchmark_group("display_name");
    g.throughput(Throughput::Elements(NAMES.len() as u64));
    g.bench_function(BenchmarkId::new("check_name", NAMES.len()), |b| {
        b.iter(|| {
            for n in NAMES {
                black_box(engine.check_name(black_box(n)));
            }
        })
    });
    g.finish();

    let mut g = c.benchmark_group("message");
    g.throughput(Throughput::Elements(MESSAGES.len() as u64));
    g.bench_function(BenchmarkId::new("scan_message", MESSAGES.len()), |b| {
        b.iter(|| {
            for m in MESSAGES {
                black_box(engine.scan_message(black_box(m), None, Locale::ZhHans));
            }
        })
    });
    g.finish();

    let mut g = c.benchmark_group("url");
    g.throughput(Throughput::Elements(URLS.len() as u64));
    g.bench_function(BenchmarkId::new("scan_url", URLS.len()), |b| {
        b.iter(|| {
            for u in URLS {
                black_box(engine.scan_url(black_box(u), Locale::En));
            }
        })
    });
    g.finish();

    let case = Case::from_json(CASE).unwrap();
    let mut g = c.benchmark_group("case");
    g.throughput(Throughput::Elements(case.events.len() as u64));
    g.bench_function("check_case_9_events", |b| {
        b.iter(|| black_box(engine.check_case(black_box(&case))))
    });
    g.finish();
}

/// Verifying a signed call assertion (ES256 signature, registry lookup, every claim check).
fn passport_bench(c: &mut Criterion) {
    use scamguard_core::passport::{
        self, CallFacts, Claims, Dest, OrgKey, OrgStatus, Organisation, Orig, Rcd, Registry,
    };
    const PRIVATE: &str = include_str!("../src/passport/testdata/org_private.pem");
    const PUBLIC: &str = include_str!("../src/passport/testdata/org_public.pem");
    let now = 1_795_600_000;
    let org = Organisation {
        id: "hz-police".into(),
        legal_name: "杭州市公安局".into(),
        category: "police".into(),
        names: passport::registry_names(&["杭州市公安局"], &[], &[]),
        handles: vec!["+86 571 8728 0110".into()],
        callback_numbers: vec![],
        domains: vec![],
        keys: vec![OrgKey {
            kid: "k1".into(),
            public_key_pem: PUBLIC.into(),
            not_before: 0,
            not_after: i64::MAX,
            revoked: false,
        }],
        status: OrgStatus::Active,
    };
    let registry = Registry::new(vec![org]).unwrap();
    let claims = Claims {
        orig: Orig {
            uri: "+8657187280110".into(),
        },
        dest: Dest {
            uri: vec!["+8613800000000".into()],
        },
        iat: now,
        origid: "bench".into(),
        rcd: Rcd {
            nam: "杭州市公安局".into(),
            crn: None,
        },
    };
    let token = passport::sign(&claims, "k1", PRIVATE.as_bytes()).unwrap();
    let facts = CallFacts {
        caller: "+86 571 8728 0110",
        callee: Some("+86 138 0000 0000"),
        now,
        freshness: 60,
    };
    let mut g = c.benchmark_group("passport");
    g.throughput(Throughput::Elements(1));
    g.bench_function("verify", |b| {
        b.iter(|| black_box(passport::verify(black_box(&token), &registry, facts).unwrap()))
    });
    g.bench_function("sign", |b| {
        b.iter(|| black_box(passport::sign(&claims, "k1", PRIVATE.as_bytes()).unwrap()))
    });
    g.finish();
}

criterion_group!(engine_benches, benches, passport_bench);
criterion_main!(engine_benches);
