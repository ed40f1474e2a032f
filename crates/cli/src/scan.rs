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
    /// Messages to scan. Without any, reads stdin a message per line: a line that starts with
    /// `{` is a JSON object, {"text": "...", "from": {"handle": ..., "display_name": ...},
    /// "locale": "en"}; any other line is the message text itself. A text holds at most
    /// 65,536 characters. One JSON line is printed per message; one that cannot be judged
    /// prints {"line" (or "argument"): N, "error": {"field": ..., "message": ...}}, is named
    /// on stderr, and makes the exit status 2.
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
    within_limit(&text)?;
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
    let mut failed = 0usize;
    if !args.texts.is_empty() {
        for (i, t) in args.texts.iter().enumerate() {
            let judged = within_limit(t).map(|()| (t.clone(), None, args.judging.locale));
            failed += usize::from(!emit_one(&engine, &args, &mut out, "argument", i, judged)?);
        }
    } else {
        for (i, line) in std::io::stdin().lock().lines().enumerate() {
            let line = line.context("cannot read standard input")?;
            let line = line.strip_suffix('\r').unwrap_or(&line);
            if line.trim().is_empty() {
                continue;
            }
            let judged = read_line(line, args.judging.locale).and_then(|(text, from, locale)| {
                if let Some(f) = &from {
                    engine.validate_party(f)?;
                }
                Ok((text, from, locale))
            });
            failed += usize::from(!emit_one(&engine, &args, &mut out, "line", i, judged)?);
        }
    }
    Ok(if failed > 0 {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

/// One stdin line: a line that starts with `{` is a JSON object (`{"text": …, "from": …,
/// "locale": …}`); any other line is the message text itself.
fn read_line(
    line: &str,
    default_locale: Locale,
) -> Result<(String, Option<Party>, Locale), InputError> {
    if line.trim_start().starts_with('{') {
        return parse_scan_line(line, default_locale);
    }
    within_limit(line)?;
    Ok((line.to_string(), None, default_locale))
}

/// The per-text limit of the API and of case files, for arguments and stdin lines alike.
fn within_limit(text: &str) -> Result<(), InputError> {
    use scamguard_core::event::limits;
    match limits::too_long(text, limits::MAX_TEXT_CHARS) {
        Some(why) => Err(InputError::new("text", why)),
        None => Ok(()),
    }
}

/// Prints the verdict on one input (the `i`th `what`, counted from 1), or its error on stdout
/// as `{"argument"|"line": N, "error": {"field": …, "message": …}}` and on stderr; whether it
/// was judged.
fn emit_one(
    engine: &Engine,
    args: &ScanArgs,
    out: &mut impl Write,
    what: &str,
    i: usize,
    judged: Result<(String, Option<Party>, Locale), InputError>,
) -> Result<bool> {
    match judged {
        Ok((text, from, locale)) => {
            let v = engine.scan_message(&text, from.as_ref(), locale);
            emit(out, &v, args.judging.explain)?;
            Ok(true)
        }
        Err(e) => {
            eprintln!("{what} {}: {}", i + 1, output::input_error(&e));
            let mut line = serde_json::json!({ "error": output::input_error_json(&e) });
            line[what] = (i + 1).into();
            writeln!(out, "{line}")?;
            Ok(false)
        }
    }
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
