//! Embedded schema migrations, one numbered list per backend.
//!
//! Applied migrations are never edited: a change to the schema is a new file with the next
//! number in both `migrations/sqlite` and `migrations/postgres`. Each migration runs in its
//! own transaction together with the row in `schema_migrations` that records it, so a failed
//! migration leaves nothing half-applied.

/// One migration file.
#[derive(Debug, Clone, Copy)]
pub struct Migration {
    /// Its number; applied in increasing order.
    pub version: i64,
    /// Its file name.
    pub name: &'static str,
    /// Its SQL: statements separated by `;`, comments starting with `--`.
    pub sql: &'static str,
}

/// Migrations for SQLite.
pub const SQLITE: &[Migration] = &[
    Migration {
        version: 1,
        name: "0001_init.sql",
        sql: include_str!("../migrations/sqlite/0001_init.sql"),
    },
    Migration {
        version: 2,
        name: "0002_registry.sql",
        sql: include_str!("../migrations/sqlite/0002_registry.sql"),
    },
    Migration {
        version: 3,
        name: "0003_session_progress.sql",
        sql: include_str!("../migrations/sqlite/0003_session_progress.sql"),
    },
    Migration {
        version: 4,
        name: "0004_journal.sql",
        sql: include_str!("../migrations/sqlite/0004_journal.sql"),
    },
    Migration {
        version: 5,
        name: "0005_risk.sql",
        sql: include_str!("../migrations/sqlite/0005_risk.sql"),
    },
];

/// Migrations for PostgreSQL.
pub const POSTGRES: &[Migration] = &[
    Migration {
        version: 1,
        name: "0001_init.sql",
        sql: include_str!("../migrations/postgres/0001_init.sql"),
    },
    Migration {
        version: 2,
        name: "0002_registry.sql",
        sql: include_str!("../migrations/postgres/0002_registry.sql"),
    },
    Migration {
        version: 3,
        name: "0003_session_progress.sql",
        sql: include_str!("../migrations/postgres/0003_session_progress.sql"),
    },
    Migration {
        version: 4,
        name: "0004_journal.sql",
        sql: include_str!("../migrations/postgres/0004_journal.sql"),
    },
    Migration {
        version: 5,
        name: "0005_risk.sql",
        sql: include_str!("../migrations/postgres/0005_risk.sql"),
    },
];

/// The table that records applied migrations.
pub(crate) const CREATE_TABLE: &str = "CREATE TABLE IF NOT EXISTS schema_migrations \
     (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied BIGINT NOT NULL)";

impl Migration {
    /// Its statements, without comments.
    pub fn statements(&self) -> Vec<String> {
        // Comments go first: they may contain `;`. Our migrations have no `--` or `;` inside
        // string literals, which keeps this split honest.
        let code: String = self
            .sql
            .lines()
            .map(|l| match l.find("--") {
                Some(i) => &l[..i],
                None => l,
            })
            .collect::<Vec<_>>()
            .join("\n");
        code.split(';')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_backends_have_the_same_migrations() {
        assert_eq!(SQLITE.len(), POSTGRES.len());
        for (s, p) in SQLITE.iter().zip(POSTGRES) {
            assert_eq!((s.version, s.name), (p.version, p.name));
            assert_eq!(s.statements().len(), p.statements().len());
        }
        for (i, m) in SQLITE.iter().enumerate() {
            assert_eq!(m.version, i as i64 + 1, "versions are consecutive");
        }
        let first = SQLITE[0].statements();
        assert!(first[0].contains("CREATE TABLE sessions"), "{}", first[0]);
    }
}
