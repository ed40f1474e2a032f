//! With the `openapi` feature, the wire types describe themselves as OpenAPI schemas. These tests
//! hold the descriptions to the parser and the engine: every scenario case is valid by the
//! `Case` schema, every verdict the engine gives for them is valid by the `Verdict` schema (and
//! has no key the schema does not list), each event type's smallest schema-valid instance is
//! accepted while dropping any required field is refused, and the limits are the parser's.
#![cfg(feature = "openapi")]

use scamguard_core::event::{limits, EventKind};
use scamguard_core::{Case, Directive, Engine, Event, Verdict};
use serde_json::{json, Map, Value};
use std::path::PathBuf;
use utoipa::openapi::{ComponentsBuilder, RefOr, Schema};
use utoipa::ToSchema;

/// Every schema reachable from `Case` and `Verdict`, by name, as JSON.
fn schemas() -> Map<String, Value> {
    fn add<T: ToSchema>(out: &mut Vec<(String, RefOr<Schema>)>) {
        out.push((T::name().into_owned(), T::schema()));
        T::schemas(out);
    }
    let mut all = Vec::new();
    add::<Case>(&mut all);
    add::<Verdict>(&mut all);
    let c = ComponentsBuilder::new().schemas_from_iter(all).build();
    serde_json::to_value(c).unwrap()["schemas"]
        .as_object()
        .unwrap()
        .clone()
}

/// Follows a `$ref` to its schema.
fn resolve<'a>(all: &'a Map<String, Value>, s: &'a Value) -> &'a Value {
    match s.get("$ref").and_then(Value::as_str) {
        Some(r) => &all[r.trim_start_matches("#/components/schemas/")],
        None => s,
    }
}

/// The JSON Schema keywords utoipa emits for these types, checked on `v`; problems go to
/// `errors` with their path. `closed` also refuses object keys the schema does not list (for
/// responses: the document must name everything the service sends).
fn check(all: &Map<String, Value>, s: &Value, v: &Value, path: &str, closed: bool) -> Vec<String> {
    let s = resolve(all, s);
    let mut errors = Vec::new();
    if let Some(any) = s.get("oneOf").and_then(Value::as_array) {
        let fits = any
            .iter()
            .filter(|o| check(all, o, v, path, closed).is_empty())
            .count();
        if fits != 1 {
            errors.push(format!("{path}: fits {fits} of oneOf, not 1: {v}"));
        }
        return errors;
    }
    if let Some(every) = s.get("allOf").and_then(Value::as_array) {
        // utoipa writes a flattened field as allOf [the flattened schema, the other fields]:
        // each part sees the object without the keys another part declares.
        let parts: Vec<&Value> = every.iter().map(|p| resolve(all, p)).collect();
        for (i, part) in parts.iter().enumerate() {
            let mut own = v.clone();
            if let Some(obj) = own.as_object_mut() {
                for (j, other) in parts.iter().enumerate() {
                    let keys = other.get("properties").and_then(Value::as_object);
                    for k in keys.into_iter().flat_map(|m| m.keys()).filter(|_| j != i) {
                        obj.remove(k);
                    }
                }
            }
            errors.extend(check(all, part, &own, path, closed));
        }
        return errors;
    }
    let types: Vec<&str> = match s.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    let kind = match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    };
    let fits = types.contains(&kind) || (kind == "integer" && types.contains(&"number"));
    if !types.is_empty() && !fits {
        errors.push(format!("{path}: {kind} where the schema says {types:?}"));
        return errors;
    }
    if let Some(values) = s.get("enum").and_then(Value::as_array) {
        if !values.contains(v) {
            errors.push(format!("{path}: {v} is not one of {values:?}"));
        }
    }
    match v {
        Value::String(text) => {
            if let Some(max) = s.get("maxLength").and_then(Value::as_u64) {
                if text.chars().count() as u64 > max {
                    errors.push(format!("{path}: longer than {max}"));
                }
            }
            if let Some(pattern) = s.get("pattern").and_then(Value::as_str) {
                if !regex::Regex::new(pattern).unwrap().is_match(text) {
                    errors.push(format!("{path}: {text:?} does not match {pattern}"));
                }
            }
        }
        Value::Number(n) => {
            if let Some(min) = s.get("minimum").and_then(Value::as_f64) {
                if n.as_f64().unwrap() < min {
                    errors.push(format!("{path}: below {min}"));
                }
            }
        }
        Value::Array(items) => {
            if let Some(max) = s.get("maxItems").and_then(Value::as_u64) {
                if items.len() as u64 > max {
                    errors.push(format!("{path}: more than {max} items"));
                }
            }
            for (i, item) in items.iter().enumerate() {
                errors.extend(check(
                    all,
                    &s["items"],
                    item,
                    &format!("{path}[{i}]"),
                    closed,
                ));
            }
        }
        Value::Object(obj) => {
            let props = s.get("properties").and_then(Value::as_object);
            for r in s
                .get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                if !obj.contains_key(r.as_str().unwrap()) {
                    errors.push(format!(
                        "{path}.{}: required but missing",
                        r.as_str().unwrap()
                    ));
                }
            }
            for (k, item) in obj {
                match props.and_then(|p| p.get(k)) {
                    Some(ps) => errors.extend(check(all, ps, item, &format!("{path}.{k}"), closed)),
                    None if closed => errors.push(format!("{path}.{k}: not in the schema")),
                    None => {}
                }
            }
        }
        _ => {}
    }
    errors
}

/// The variants of a tagged union, by tag value.
fn variants<'a>(all: &'a Map<String, Value>, name: &str, tag: &str) -> Vec<(String, &'a Value)> {
    all[name]["oneOf"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["properties"][tag]["enum"][0]
                    .as_str()
                    .unwrap()
                    .to_string(),
                v,
            )
        })
        .collect()
}

fn cases() -> Vec<(String, Value)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/cases");
    let mut out: Vec<(String, Value)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .map(|p| {
            let mut v: Value = serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
            v.as_object_mut().unwrap().remove("expect");
            (p.file_name().unwrap().to_string_lossy().into_owned(), v)
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

#[test]
fn every_scenario_case_and_its_verdicts_fit_the_schemas() {
    let all = schemas();
    let engine = Engine::builtin().unwrap();
    let mut problems = Vec::new();
    let mut directives = std::collections::BTreeSet::new();
    let cases = cases();
    assert!(cases.len() >= 60);
    for (name, raw) in &cases {
        problems.extend(check(&all, &all["Case"], raw, name, false));
        let case = Case::from_value(raw).unwrap();
        for (i, verdict) in engine.check_case(&case).trace.iter().enumerate() {
            let v = serde_json::to_value(verdict).unwrap();
            problems.extend(check(
                &all,
                &all["Verdict"],
                &v,
                &format!("{name}: trace[{i}]"),
                true,
            ));
            directives.extend(verdict.directives.iter().map(|d| d.code()));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert_eq!(
        directives.len(),
        Directive::CODES.len(),
        "the cases exercise every directive"
    );
}

#[test]
fn tags_are_the_parsers_names() {
    let all = schemas();
    let types: Vec<String> = variants(&all, "EventKind", "type")
        .into_iter()
        .map(|v| v.0)
        .collect();
    assert_eq!(types, EventKind::TYPE_NAMES);
    let codes: Vec<String> = variants(&all, "Directive", "code")
        .into_iter()
        .map(|v| v.0)
        .collect();
    assert_eq!(codes, Directive::CODES);
}

/// A value of the schema's type: the first enum value, `1`, `true`, or a short string.
fn example(all: &Map<String, Value>, s: &Value) -> Value {
    if let Some(any) = s.get("oneOf") {
        return example(all, &any[0]);
    }
    let s = resolve(all, s);
    if let Some(e) = s.get("enum") {
        return e[0].clone();
    }
    let t = match &s["type"] {
        Value::Array(ts) => ts[0].as_str().unwrap(),
        t => t.as_str().unwrap(),
    };
    match t {
        "string" => json!("x"),
        "number" | "integer" => json!(1),
        "boolean" => json!(true),
        other => panic!("no example for {other}"),
    }
}

#[test]
fn each_event_types_required_fields_are_the_parsers() {
    let all = schemas();
    for (ty, schema) in variants(&all, "EventKind", "type") {
        let mut smallest = Map::new();
        for r in schema["required"].as_array().unwrap() {
            let r = r.as_str().unwrap();
            smallest.insert(r.to_string(), example(&all, &schema["properties"][r]));
        }
        let event = Value::Object(smallest.clone());
        Event::from_value(&event).unwrap_or_else(|e| panic!("{ty}: {event} refused: {e}"));
        for r in smallest.keys() {
            let mut without = smallest.clone();
            without.remove(r);
            let err = Event::from_value(&Value::Object(without)).unwrap_err();
            assert_eq!(&err.path, r, "{ty} without {r}: {err}");
        }
        // Every optional field may be given, and null where the schema allows it.
        let mut fullest = smallest.clone();
        let mut nulls = smallest.clone();
        for (k, p) in schema["properties"].as_object().unwrap() {
            if !fullest.contains_key(k) {
                fullest.insert(k.clone(), example(&all, p));
                let nullable = p["type"]
                    .as_array()
                    .is_some_and(|t| t.contains(&json!("null")))
                    || p["oneOf"]
                        .as_array()
                        .is_some_and(|o| o.contains(&json!({"type": "null"})));
                nulls.insert(
                    k.clone(),
                    if nullable {
                        Value::Null
                    } else {
                        example(&all, p)
                    },
                );
            }
        }
        Event::from_value(&Value::Object(fullest)).unwrap_or_else(|e| panic!("{ty}: {e}"));
        Event::from_value(&Value::Object(nulls)).unwrap_or_else(|e| panic!("{ty} nulls: {e}"));
    }
}

#[test]
fn the_locale_pattern_is_what_the_parser_reads() {
    let all = schemas();
    let pattern = regex::Regex::new(all["Locale"]["pattern"].as_str().unwrap()).unwrap();
    for tag in [
        "zh",
        "zh-Hans",
        "zh-Hant",
        "en",
        "EN",
        "zh_TW",
        "zh-Hant-HK",
        " en-GB ",
        "zh-",
        "fr",
        "",
        "e",
        "enx",
        "zhx",
        "de-zh",
        "english",
    ] {
        assert_eq!(
            pattern.is_match(tag),
            scamguard_core::Locale::parse(tag).is_some(),
            "{tag:?}"
        );
    }
}

#[test]
fn limits_are_the_parsers() {
    let all = schemas();
    let kinds: std::collections::HashMap<String, &Value> =
        variants(&all, "EventKind", "type").into_iter().collect();
    let max = |s: &Value| s["maxLength"].as_u64().unwrap() as usize;
    assert_eq!(
        max(&kinds["speech"]["properties"]["text"]),
        limits::MAX_TEXT_CHARS
    );
    assert_eq!(
        max(&kinds["message"]["properties"]["text"]),
        limits::MAX_TEXT_CHARS
    );
    assert_eq!(
        max(&kinds["otp_received"]["properties"]["text"]),
        limits::MAX_TEXT_CHARS
    );
    assert_eq!(
        max(&kinds["app_install"]["properties"]["app"]),
        limits::MAX_NAME_CHARS
    );
    assert_eq!(
        max(&kinds["link_opened"]["properties"]["url"]),
        limits::MAX_URL_CHARS
    );
    assert_eq!(
        max(&kinds["app_install"]["properties"]["url"]),
        limits::MAX_URL_CHARS
    );
    let party = &all["Party"]["properties"];
    assert_eq!(max(&party["handle"]), limits::MAX_NAME_CHARS);
    assert_eq!(max(&party["display_name"]), limits::MAX_NAME_CHARS);
    assert_eq!(max(&party["identity_token"]), limits::MAX_TOKEN_CHARS);
    let events = &all["Case"]["properties"]["events"];
    assert_eq!(
        events["maxItems"].as_u64().unwrap() as usize,
        limits::MAX_EVENTS
    );
}
