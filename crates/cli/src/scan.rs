//! `scamguard scan` and `scamguard scan-url`: stateless scans of messages and links.

use crate::engine_args::EngineArgs;
use crate::output;
use anyhow::{Context, Result};
use clap::Args;
use scamguard_core::event::{json_syntax_error, InputError};
use scamguard_core::{Engine, Locale, Party, Verdict};
use serde_json::Value;
use std::io::{BufRead, Write};
use std::process::ExitCode;

#[derive(Args, Debug)]
pub struct ScanArgs {
    /// Messages to scan. Without any, reads JSON Lines from stdin:
    /// {"text": "...", "from": {"handle": ..., "display_name": ...}, "locale": "en"}.
    #[arg(value_name = "TEXT")]
    pub texts: Vec<String>,
    #[command(flatten)]
    pub judging: Judging,
}

#[derive(Args, Debug)]
pub struct ScanUrlArgs {
    /// URLs to judge. Without any, reads one URL per line from stdin.
    #[arg(value_name = "URL")]
    pub urls: Vec<String>,
    #[command(flatten)]
    pub judging: Judging,
}

/// How `scan` and `scan-url` judge and print.
#[derive(Args, Debug)]
pub struct Judging {
    /// Language of explanations (zh-Hans, zh-Hant, en).
    #[arg(long, default_value = "zh-Hans", value_parser = parse_locale)]
    pub locale: Locale,
    /// Print for a person instead of JSON Lines.
    #[arg(long)]
    pub explain: bool,
    #[command(flatten)]
    pub engine: EngineArgs,
}

pub fn parse_locale(s: &str) -> Result<Locale, String> {
    Locale::parse(s).ok_or_else(|| format!("unknown locale {s:?}; expected zh-Hans, zh-Hant or en"))
}

/// One line of `scan` input.
pub fn parse_scan_line(
    line: &str,
    default_locale: Locale,
) -> Result<(String, Option<Party>, Locale), InputError> {
    let v: Value = serde_json::from_str(line).map_err(|e| json_syntax_error("", &e))?;
    let text = match v.get("text") {
        Some(Value::String(s)) => s.clone(),
        Some(_) => return Err(InputError::new("text", "expected a string")),
        None => return Err(InputError::new("text", "missing field")),
    };
    use scamguard_core::event::limits;
    if let Some(why) = limits::too_long(&text, limits::MAX_TEXT_CHARS) {
        return Err(InputError::new("text", why));
    }
    let locale = match v.get("locale") {
        Some(Value::String(s)) => Locale::parse(s)
            .ok_or_else(|| InputError::new("locale", format!("unknown locale {s:?}")))?,
        _ => default_locale,
    };
    let from = match v.get("from") {
        None | Some(Value::Null) => None,
        Some(f) => {
            let wrapped = serde_json::json!({"channel": "message", "from": f});
            Some(scamguard_core::Opening::from_value(&wrapped)?.from)
        }
    };
    Ok((text, from, locale))
}

fn emit(out: &mut impl Write, v: &Verdict, explain: bool) -> Result<()> {
    if explain {
        writeln!(out, "{}", output::human(v))?;
    } else {
        writeln!(out, "{}", serde_json::to_string(v)?)?;
    }
    Ok(())
}

pub fn run_scan(args: ScanArgs) -> Result<ExitCode> {
    let engine = args.judging.engine.engine()?;
    let mut out = std::io::stdout().lock();
    if !args.texts.is_empty() {
        for t in &args.texts {
            emit(
                &mut out,
                &engine.scan_message(t, None, args.judging.locale),
                args.judging.explain,
            )?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    scan_stdin(&engine, &args, &mut out)
}

fn scan_stdin(engine: &Engine, args: &ScanArgs, out: &mut impl Write) -> Result<ExitCode> {
    let mut failed = 0usize;
    for (i, line) in std::io::stdin().lock().lines().enumerate() {
        let line = line.context("cannot read standard input")?;
        if line.trim().is_empty() {
            continue;
        }
        let checked =
            parse_scan_line(&line, args.judging.locale).and_then(|(text, from, locale)| {
                if let Some(f) = &from {
                    engine.validate_party(f)?;
                }
                Ok((text, from, locale))
            });
        match checked {
            Ok((text, from, locale)) => emit(
                out,
                &engine.scan_message(&text, from.as_ref(), locale),
                args.judging.explain,
            )?,
            Err(e) => {
                failed += 1;
                eprintln!("line {}: {e}", i + 1);
                let err = serde_json::json!({"line": i + 1, "error": {"path": e.path, "message": e.message}});
                writeln!(out, "{err}")?;
            }
        }
    }
    Ok(if failed > 0 {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

pub fn run_scan_url(args: ScanUrlArgs) -> Result<ExitCode> {
    let engine = args.judging.engine.engine()?;
    let mut out = std::io::stdout().lock();
    let judge = |u: &str, out: &mut std::io::StdoutLock<'_>| -> Result<()> {
        let v = engine.scan_url(u.trim(), args.judging.locale);
        if args.judging.explain {
            writeln!(out, "{}\n{}", u.trim(), output::human(&v))?;
        } else {
            let line = serde_json::json!({"url": u.trim(), "verdict": v});
            writeln!(out, "{line}")?;
        }
        Ok(())
    };
    if args.urls.is_empty() {
        for line in std::io::stdin().lock().lines() {
            let line = line.context("cannot read standard input")?;
            if !line.trim().is_empty() {
                judge(&line, &mut out)?;
            }
        }
    } else {
        for u in &args.urls {
            judge(u, &mut out)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scan_lines() {
        let (t, f, l) = parse_scan_line(
            r#"{"text":"hi","from":{"handle":"+1 555"},"locale":"en"}"#,
            Locale::ZhHans,
        )
        .unwrap();
        assert_eq!(t, "hi");
        assert_eq!(f.unwrap().handle, "+1 555");
        assert_eq!(l, Locale::En);
        assert_eq!(
            parse_scan_line(r#"{"txt":"hi"}"#, Locale::En)
                .unwrap_err()
                .path,
            "text"
        );
        assert_eq!(
            parse_scan_line(r#"{"text":5}"#, Locale::En)
                .unwrap_err()
                .path,
            "text"
        );
        assert_eq!(
            parse_scan_line(r#"{"text":"a","from":{}}"#, Locale::En)
                .unwrap_err()
                .path,
            "from.handle"
        );
        assert_eq!(
            parse_scan_line("not json", Locale::En).unwrap_err().path,
            "body"
        );
    }
}
