//! `scamguard bench`: single-core throughput of the engine's three hot paths, over the
//! datasets when they are available and over built-in samples otherwise.

use crate::engine_args::EngineArgs;
use crate::eval::{dataset_files, read_records};
use anyhow::Result;
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use scamguard_core::eval::Kind;
use scamguard_core::{Engine, Locale};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

#[derive(Args, Debug)]
pub struct BenchArgs {
    /// Dataset directory (the ../shared/datasets layout); built-in samples are used without it.
    #[arg(long, value_name = "DIR")]
    pub datasets: Option<PathBuf>,
    /// Seconds to spend on each measurement.
    #[arg(long, default_value_t = 3.0)]
    pub seconds: f64,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub engine: EngineArgs,
}

/// Built-in samples so that the benchmark runs on a fresh clone.
const SAMPLE_MESSAGES: &[&str] = &[
    "你好，这里是厦门市公安局刑侦支队，你名下的银行卡涉嫌洗钱，请配合调查，不要告诉家人。",
    "【工商银行】您尾号1234的卡于11月25日消费128.00元，余额5,321.00元。",
    "【菜鸟驿站】您的包裹已到站，凭取件码8-3-1024到学府路店取件。",
    "您的ETC认证已失效，请登录 etc-renzheng.top 重新认证，否则将停用。",
    "妈，我手机坏了换了新号，先帮我转2000块给这个账户，我明天还你。",
    "Hi Mum, my phone broke, this is my new number. Can you pay this invoice for me today?",
    "USPS: your package is on hold due to an incomplete address. Update at usps.com-track.top reply Y",
    "Are we still on for dinner at 7? I booked the Thai place.",
    "Your Apple ID code is 482913. Don't share it with anyone.",
    "This is the fraud team at your bank. Move your savings to a safe account now and don't tell the branch staff.",
    "今晚一起吃饭吗？我在楼下等你。",
    "点赞关注日结300元，加QQ领取任务，充值越多返利越多。",
];

const SAMPLE_NAMES: &[&str] = &[
    "厦门市公安局",
    "王建国",
    "妈妈",
    "0731-110",
    "微信客服",
    "公\u{200b}安局",
    "PayPaI",
    "John Smith",
    "Apple Support",
    "p0lice",
    "廣州市公安局",
    "张伟",
    "Mom",
    "国家反诈中心",
    "抖音客服(已认证)",
    "Dr. Lee",
];

const SAMPLE_URLS: &[&str] = &[
    "https://www.icbc.com.cn/",
    "http://icbc-verify.com/login",
    "https://paypa1.com/signin",
    "http://61.222.251.66/my/mybank/",
    "https://t.cn/A6abcd",
    "https://www.example.com/blog/post",
    "http://usps.com-track.xyz/pay",
    "https://xn--pple-43d.com/",
];

struct Measure {
    what: &'static str,
    items: usize,
    ops: u64,
    secs: f64,
}

fn measure(what: &'static str, items: usize, seconds: f64, mut op: impl FnMut(usize)) -> Measure {
    let bar = ProgressBar::new((seconds * 1000.0) as u64);
    bar.set_style(
        ProgressStyle::with_template("{msg:<22} [{bar:30}] {elapsed}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar.set_message(what);
    // Warm up once over every item so that lazy tables are built before timing.
    for i in 0..items {
        op(i);
    }
    let budget = Duration::from_secs_f64(seconds);
    let start = Instant::now();
    let mut ops = 0u64;
    let mut i = 0usize;
    loop {
        for _ in 0..256 {
            op(i);
            i = (i + 1) % items;
            ops += 1;
        }
        let el = start.elapsed();
        bar.set_position(el.as_millis() as u64);
        if el >= budget {
            break;
        }
    }
    bar.finish_and_clear();
    Measure {
        what,
        items,
        ops,
        secs: start.elapsed().as_secs_f64(),
    }
}

pub fn run(args: BenchArgs) -> Result<ExitCode> {
    let engine: Engine = args.engine.engine()?;
    let mut names: Vec<String> = SAMPLE_NAMES.iter().map(|s| s.to_string()).collect();
    for idt in engine.lexicons().identities.identities() {
        names.extend(idt.zh_hans.iter().chain(&idt.en).take(2).cloned());
    }
    let mut messages: Vec<(String, Locale)> = SAMPLE_MESSAGES
        .iter()
        .map(|s| (s.to_string(), Locale::ZhHans))
        .collect();
    let mut urls: Vec<String> = SAMPLE_URLS.iter().map(|s| s.to_string()).collect();
    let mut source = "built-in samples".to_string();
    if let Some(dir) = &args.datasets {
        let files = dataset_files(std::slice::from_ref(dir))?;
        let (mut m, mut u) = (Vec::new(), Vec::new());
        for f in files {
            for r in read_records(&f, "test", 5000)? {
                match r.kind() {
                    Kind::Messages => {
                        let loc = if r.lang == "zh" {
                            Locale::ZhHans
                        } else {
                            Locale::En
                        };
                        m.push((r.text, loc));
                    }
                    Kind::Urls => u.push(r.text),
                }
            }
        }
        if !m.is_empty() {
            messages = m;
        }
        if !u.is_empty() {
            urls = u;
        }
        source = format!("test splits under {}", dir.display());
    }
    let mut results = vec![
        measure("display-name checks", names.len(), args.seconds, |i| {
            std::hint::black_box(engine.check_name(&names[i]));
        }),
        measure("message scans", messages.len(), args.seconds, |i| {
            let (t, l) = &messages[i];
            std::hint::black_box(engine.scan_message(t, None, *l));
        }),
        measure("URL scans", urls.len(), args.seconds, |i| {
            std::hint::black_box(engine.scan_url(&urls[i], Locale::En));
        }),
    ];
    // With a model on, also what it costs: the same scans without it, and the model alone.
    if let Some(model) = engine.model() {
        let rules = engine.without_model();
        results.push(measure(
            "message scans, rules only",
            messages.len(),
            args.seconds,
            |i| {
                let (t, l) = &messages[i];
                std::hint::black_box(rules.scan_message(t, None, *l));
            },
        ));
        results.push(measure(
            "model predictions alone",
            messages.len(),
            args.seconds,
            |i| {
                std::hint::black_box(model.predict_text(&messages[i].0));
            },
        ));
    }
    if args.json {
        let rows: Vec<_> = results
            .iter()
            .map(|m| serde_json::json!({"what": m.what, "items": m.items, "ops": m.ops, "seconds": m.secs, "per_second": m.ops as f64 / m.secs}))
            .collect();
        println!(
            "{}",
            serde_json::to_string_pretty(
                &serde_json::json!({"source": source, "threads": 1, "results": rows})
            )?
        );
    } else {
        println!("source: {source}; one thread\n");
        println!("| measurement | distinct inputs | operations | per second | mean µs |");
        println!("|---|---:|---:|---:|---:|");
        for m in &results {
            let rate = m.ops as f64 / m.secs;
            println!(
                "| {} | {} | {} | {:.0} | {:.2} |",
                m.what,
                m.items,
                m.ops,
                rate,
                1e6 / rate
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
