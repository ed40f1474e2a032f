//! Local overlays: an operator's file merged over the policy, as Rspamd's `local.d` is, so
//! that a one-line change does not mean copying the whole built-in policy (and missing every
//! upgrade of it).
//!
//! The merge works on the TOML documents, before validation:
//!
//! - tables merge key by key, at every depth: `[signals.claims_authority]` with only
//!   `weight = 8` keeps the signal's group and description;
//! - `[[rules]]` and `[[modifiers]]` entries are matched by `name`, `[[directives]]` entries
//!   by `directive`: an overlay entry with the same key replaces the whole entry in place, and
//!   one with a new key is appended;
//! - an entry with `enabled = false` is left out of the policy: in an overlay, that is how a
//!   built-in rule, modifier or directive is turned off (`name` and `enabled` are all it needs);
//! - any other value replaces the one it overlays.

use toml::{Table, Value};

/// The arrays of tables merged entry by entry, and the key that names an entry.
const KEYED: [(&str, &str); 3] = [
    ("rules", "name"),
    ("modifiers", "name"),
    ("directives", "directive"),
];

/// Merges `local` over `base`. Problems name the overlay's table and key.
pub fn merge(base: &mut Table, local: Table, problems: &mut Vec<String>) {
    for (key, value) in local {
        let keyed = KEYED.iter().find(|(list, _)| *list == key);
        match (base.get_mut(&key), value, keyed) {
            (Some(Value::Array(entries)), Value::Array(over), Some((list, id))) => {
                merge_entries(list, id, entries, over, problems)
            }
            (Some(Value::Table(b)), Value::Table(l), _) => merge_tables(b, l),
            (_, value, _) => {
                base.insert(key, value);
            }
        }
    }
}

fn merge_tables(base: &mut Table, local: Table) {
    for (key, value) in local {
        match (base.get_mut(&key), value) {
            (Some(Value::Table(b)), Value::Table(l)) => merge_tables(b, l),
            (_, value) => {
                base.insert(key, value);
            }
        }
    }
}

fn merge_entries(
    list: &str,
    id: &str,
    entries: &mut Vec<Value>,
    over: Vec<Value>,
    problems: &mut Vec<String>,
) {
    for (i, entry) in over.into_iter().enumerate() {
        let Some(key) = entry.get(id).and_then(Value::as_str).map(str::to_string) else {
            problems.push(format!(
                "{list}[{i}] of the overlay: needs `{id}` to say which entry it replaces or adds"
            ));
            continue;
        };
        match entries
            .iter_mut()
            .find(|e| e.get(id).and_then(Value::as_str) == Some(key.as_str()))
        {
            Some(existing) => *existing = entry,
            None if is_disabled(&entry) => problems.push(format!(
                "{list} ({key}).enabled: false, but the policy has no such entry to turn off"
            )),
            None => entries.push(entry),
        }
    }
}

fn is_disabled(entry: &Value) -> bool {
    entry.get("enabled").and_then(Value::as_bool) == Some(false)
}

/// Leaves out the entries marked `enabled = false` and drops the `enabled` key from the rest,
/// so that validation sees only the entries in force.
pub fn apply_enabled(policy: &mut Table, problems: &mut Vec<String>) {
    for (list, id) in KEYED {
        let Some(Value::Array(entries)) = policy.get_mut(list) else {
            continue;
        };
        entries.retain_mut(|entry| {
            let Some(table) = entry.as_table_mut() else {
                return true;
            };
            match table.remove("enabled") {
                None | Some(Value::Boolean(true)) => true,
                Some(Value::Boolean(false)) => false,
                Some(other) => {
                    let key = table.get(id).and_then(Value::as_str).unwrap_or("?");
                    problems.push(format!(
                        "{list} ({key}).enabled: expected true or false, found {}",
                        other.type_str()
                    ));
                    true
                }
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(text: &str) -> Table {
        toml::from_str(text).unwrap()
    }

    #[test]
    fn tables_merge_key_by_key_and_lists_by_name() {
        let mut base = table(
            r#"
            [thresholds]
            warn = 4
            block = 10
            [signals.claims_authority]
            weight = 5
            group = "identity"
            [[rules]]
            name = "a"
            when = "claims_authority"
            action = "warn"
            [[rules]]
            name = "b"
            when = "in_contacts"
            action = "allow"
            [[directives]]
            directive = "hide_otp"
            when = "otp_received"
            "#,
        );
        let local = table(
            r#"
            thresholds.block = 12
            [signals.claims_authority]
            weight = 8
            [[rules]]
            name = "a"
            when = "claims_authority & screen_share_requested"
            action = "block"
            [[rules]]
            name = "c"
            when = "screen_share_requested"
            action = "warn"
            [[rules]]
            name = "b"
            enabled = false
            [[directives]]
            directive = "hide_otp"
            when = "otp_received | screen_share_started"
            "#,
        );
        let mut problems = Vec::new();
        merge(&mut base, local, &mut problems);
        apply_enabled(&mut base, &mut problems);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(base["thresholds"]["warn"].as_integer(), Some(4));
        assert_eq!(base["thresholds"]["block"].as_integer(), Some(12));
        assert_eq!(
            base["signals"]["claims_authority"]["weight"].as_integer(),
            Some(8)
        );
        assert_eq!(
            base["signals"]["claims_authority"]["group"].as_str(),
            Some("identity")
        );
        let rules = base["rules"].as_array().unwrap();
        let names: Vec<&str> = rules.iter().map(|r| r["name"].as_str().unwrap()).collect();
        assert_eq!(
            names,
            ["a", "c"],
            "a replaced in place, b turned off, c appended"
        );
        assert_eq!(rules[0]["action"].as_str(), Some("block"));
        assert_eq!(
            base["directives"][0]["when"].as_str(),
            Some("otp_received | screen_share_started")
        );
    }

    #[test]
    fn overlay_mistakes_are_problems() {
        let mut base = table("[[rules]]\nname = \"a\"\nwhen = \"x\"\naction = \"warn\"\n");
        let local = table(
            "[[rules]]\nwhen = \"y\"\n[[rules]]\nname = \"nope\"\nenabled = false\n[[rules]]\nname = \"a\"\nenabled = \"no\"\n",
        );
        let mut problems = Vec::new();
        merge(&mut base, local, &mut problems);
        apply_enabled(&mut base, &mut problems);
        assert_eq!(
            problems,
            [
                "rules[0] of the overlay: needs `name` to say which entry it replaces or adds",
                "rules (nope).enabled: false, but the policy has no such entry to turn off",
                "rules (a).enabled: expected true or false, found string",
            ]
        );
    }
}
