//! `scamguard eval --kind names`: how many impersonating display names the engine reads as an
//! identity claim, and how many genuine names it reads as one, per file and per disguise.

use super::{errors_file, finish_errors, print_json, progress, read_split, EvalArgs};
use anyhow::{bail, Result};
use scamguard_core::eval::names::{judge_name, locale_of, NameRecord, NameResult};
use scamguard_core::Engine;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

pub fn run(args: &EvalArgs, engine: &Engine, files: &[PathBuf]) -> Result<ExitCode> {
    let mut errors = errors_file(args)?;
    let mut results: BTreeMap<String, NameResult> = BTreeMap::new();
    for file in files {
        let split = args.split.as_str();
        let records: Vec<NameRecord> = read_split(file, args.limit, |r: &NameRecord| {
            split == "all" || r.split == split
        })?;
        if let Some(bad) = records.iter().find(|r| !r.has_known_label()) {
            bail!(
                "{}: record {:?} has label {:?}; --kind names takes \"impersonation\" or \"genuine\"",
                file.display(),
                bad.id,
                bad.label
            );
        }
        if records.is_empty() {
            continue;
        }
        let name = file
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        let bar = progress(records.len() as u64, &name, args.quiet);
        let mut res = NameResult::default();
        for r in &records {
            let j = judge_name(engine, &r.text, locale_of(r));
            res.add(r, &j);
            if let Some(w) = errors
                .as_mut()
                .filter(|_| j.claimed != r.is_impersonation())
            {
                serde_json::to_writer(
                    &mut *w,
                    &serde_json::json!({"file": name, "id": r.id, "label": r.label,
                                        "disguise": r.disguise, "claimed": j.claimed,
                                        "identity": j.identity, "action": j.action.as_str(),
                                        "text": r.text}),
                )?;
                writeln!(w)?;
            }
            bar.inc(1);
        }
        bar.finish_and_clear();
        if !args.quiet {
            eprintln!(
                "{name}: {} names, {} caught, {} false positives",
                res.records,
                pct(res.caught()),
                pct(res.false_positives())
            );
        }
        results.insert(name, res);
    }
    finish_errors(errors)?;
    if args.json {
        print_json(&serde_json::json!({
            "split": args.split,
            "kind": "names",
            "files": results
        }))?;
    } else {
        print!("{}", table(&results, &args.split));
    }
    Ok(ExitCode::SUCCESS)
}

fn pct(x: Option<f64>) -> String {
    x.map_or("-".to_string(), |v| format!("{:.2} %", v * 100.0))
}

/// The results as Markdown tables: per file, then per disguise.
pub fn table(results: &BTreeMap<String, NameResult>, split: &str) -> String {
    let mut s = format!(
        "split: {split} (each name judged as the display name of a video call from an unknown \
         handle; caught: the opening verdict claims an identity)\n\n\
         | file | names | impersonating | caught % | genuine | false positives % | impersonating: warn / block | genuine: warn / block |\n\
         |---|---:|---:|---:|---:|---:|---:|---:|\n"
    );
    let count = |m: &BTreeMap<String, u64>, a: &str| m.get(a).copied().unwrap_or(0);
    for (name, r) in results {
        s.push_str(&format!(
            "| {name} | {} | {} | {} | {} | {} | {} / {} | {} / {} |\n",
            r.records,
            r.claims.support(),
            super::pct(r.caught()),
            r.claims.fp + r.claims.tn,
            super::pct(r.false_positives()),
            count(&r.impersonation_actions, "warn"),
            count(&r.impersonation_actions, "block"),
            count(&r.genuine_actions, "warn"),
            count(&r.genuine_actions, "block"),
        ));
    }
    for (name, r) in results {
        s.push_str(&format!(
            "\n{name}, per disguise:\n\n| disguise | impersonating | caught % | genuine | false positives % |\n|---|---:|---:|---:|---:|\n"
        ));
        for (d, c) in &r.by_disguise {
            s.push_str(&format!(
                "| {d} | {} | {} | {} | {} |\n",
                c.support(),
                super::pct(c.recall()),
                c.fp + c.tn,
                super::pct(c.fpr()),
            ));
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use scamguard_core::eval::names::{NameJudgement, GENUINE, IMPERSONATION};
    use scamguard_core::Action;

    #[test]
    fn the_table_names_rates_and_disguises() {
        let rec = |label: &str, disguise: &str| NameRecord {
            text: "x".into(),
            label: label.into(),
            split: "dev".into(),
            base: "b".into(),
            disguise: disguise.into(),
            lang: "zh".into(),
            id: "1".into(),
        };
        let j = |claimed| NameJudgement {
            claimed,
            identity: None,
            action: if claimed {
                Action::Block
            } else {
                Action::Allow
            },
        };
        let mut r = NameResult::default();
        r.add(&rec(IMPERSONATION, "pinyin"), &j(true));
        r.add(&rec(IMPERSONATION, "pinyin"), &j(false));
        r.add(&rec(GENUINE, "plain"), &j(false));
        let t = table(&BTreeMap::from([("names.jsonl".to_string(), r)]), "dev");
        assert!(
            t.contains("| names.jsonl | 3 | 2 | 50.00 | 1 | 0.00 | 0 / 1 | 0 / 0 |"),
            "{t}"
        );
        assert!(t.contains("| pinyin | 2 | 50.00 | 0 | - |"), "{t}");
        assert!(t.contains("| plain | 0 | - | 1 | 0.00 |"), "{t}");
    }
}
