//! The database's schema and its copies: which migrations are applied, the
//! `migrate` command's work, and the `backup` command's online copy of an
//! SQLite file.
//!
//! Migrations only ever add (expand, then contract in a later release:
//! docs/deploy.md), so an instance of the previous build keeps serving
//! beside a database that a newer build migrated: migrations it does not
//! know are ignored, not refused.

use super::{Backend, DbResult, Store};
use sqlx::Row;

/// The migrations of this build against what the database has applied.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MigrationState {
    /// Applied, and this build carries them unchanged.
    pub applied: Vec<i64>,
    /// Carried by this build, not yet applied: (version, description).
    pub pending: Vec<(i64, String)>,
    /// Applied by a newer build (this one does not carry them).
    pub newer: Vec<i64>,
    /// Started and never finished (`success` false): the database needs a
    /// person before anything else runs.
    pub failed: Vec<i64>,
    /// Applied, but this build's file of that version differs.
    pub changed: Vec<i64>,
}

impl MigrationState {
    /// Whether a server of this build can serve this database as it is.
    pub fn complete(&self) -> bool {
        self.pending.is_empty() && self.failed.is_empty() && self.changed.is_empty()
    }
}

impl Backend {
    /// The migrations this build carries, with those a newer build applied
    /// ignored (a rolling upgrade's older instance).
    pub(super) fn migrator(self) -> sqlx::migrate::Migrator {
        let mut m = match self {
            Backend::Sqlite => sqlx::migrate!("migrations/sqlite"),
            Backend::Postgres => sqlx::migrate!("migrations/postgres"),
        };
        m.set_ignore_missing(true);
        m
    }
}

impl Store {
    /// Applies this build's migrations that are missing; the versions
    /// applied now, with their descriptions.
    pub async fn migrate(&self) -> Result<Vec<(i64, String)>, sqlx::migrate::MigrateError> {
        let before = self
            .migration_state()
            .await
            .map_err(sqlx::migrate::MigrateError::Execute)?;
        self.backend.migrator().run(&self.pool).await?;
        Ok(before.pending)
    }

    /// What is applied, against what this build carries.
    pub async fn migration_state(&self) -> DbResult<MigrationState> {
        let table = match self.backend {
            Backend::Sqlite => {
                "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'"
            }
            Backend::Postgres => {
                "SELECT COUNT(*) FROM information_schema.tables WHERE table_name = '_sqlx_migrations' AND table_schema = current_schema()"
            }
        };
        let (exists,): (i64,) = sqlx::query_as(table).fetch_one(&self.pool).await?;
        let rows = if exists > 0 {
            sqlx::query(
                "SELECT version, CAST(CASE WHEN success THEN 1 ELSE 0 END AS BIGINT), checksum \
                 FROM _sqlx_migrations ORDER BY version",
            )
            .fetch_all(&self.pool)
            .await?
        } else {
            Vec::new()
        };
        let mut done = Vec::new();
        for r in rows {
            let version: i64 = r.try_get(0)?;
            let success = r.try_get::<i64, _>(1)? == 1;
            let checksum: Vec<u8> = r.try_get(2)?;
            done.push((version, success, checksum));
        }
        let migrator = self.backend.migrator();
        let mut state = MigrationState::default();
        for m in migrator.iter() {
            match done.iter().find(|(v, ..)| *v == m.version) {
                None => state.pending.push((m.version, m.description.to_string())),
                Some((v, false, _)) => state.failed.push(*v),
                Some((v, true, sum)) if sum[..] != m.checksum[..] => state.changed.push(*v),
                Some((v, true, _)) => state.applied.push(*v),
            }
        }
        for (v, success, _) in &done {
            if !migrator.version_exists(*v) {
                if *success {
                    state.newer.push(*v);
                } else {
                    state.failed.push(*v);
                }
            }
        }
        Ok(state)
    }

    /// A consistent copy of the SQLite database into `file` (which must not
    /// exist; it is made readable by its owner only), taken while the
    /// server runs: `VACUUM INTO` reads one snapshot, beside the writers.
    pub async fn backup_sqlite(&self, file: &std::path::Path) -> Result<u64, String> {
        if self.backend != Backend::Sqlite {
            return Err("this database is PostgreSQL: use pg_dump".into());
        }
        let mut open = std::fs::OpenOptions::new();
        open.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut open, 0o600);
        open.open(file).map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => {
                format!("{} exists already: name a new file", file.display())
            }
            _ => format!("cannot write {}: {e}", file.display()),
        })?;
        let path = file.to_string_lossy().to_string();
        let copied = sqlx::query("VACUUM INTO $1")
            .bind(&path)
            .execute(&self.pool)
            .await;
        if let Err(e) = copied {
            let _ = std::fs::remove_file(file);
            return Err(format!("the copy failed: {e}"));
        }
        std::fs::metadata(file)
            .map(|m| m.len())
            .map_err(|e| format!("cannot read {}: {e}", file.display()))
    }
}

/// The first migration written under the expand-then-contract rule.
#[cfg(test)]
const EXPAND_ONLY_FROM: i64 = 17;

/// What in a migration would break the previous release still running
/// beside it (a rolling upgrade), unless the file says it contracts.
#[cfg(test)]
fn breaks_the_previous_release(sql: &str) -> Vec<String> {
    if sql.contains("-- contract:") {
        return Vec::new();
    }
    let words: &[&str] = &[
        "DROP TABLE",
        "DROP COLUMN",
        "RENAME",
        " TYPE ",
        "SET NOT NULL",
        "DROP INDEX",
        "DROP VIEW",
        "DROP TRIGGER",
    ];
    sql.lines()
        .filter(|l| !l.trim_start().starts_with("--"))
        .filter(|l| words.iter().any(|w| l.to_ascii_uppercase().contains(w)))
        .map(|l| l.trim().to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// From migration 0017 on, a migration only adds (docs/deploy.md,
    /// Upgrades): what the running release uses is removed only in a later
    /// release, by a file that says `-- contract: <why>`.
    #[test]
    fn migrations_only_expand() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
        for dialect in ["sqlite", "postgres"] {
            for entry in std::fs::read_dir(root.join(dialect)).unwrap() {
                let path = entry.unwrap().path();
                let name = path.file_name().unwrap().to_string_lossy().to_string();
                let version: i64 = name[..4].parse().unwrap();
                if version < EXPAND_ONLY_FROM {
                    continue;
                }
                let found = breaks_the_previous_release(&std::fs::read_to_string(&path).unwrap());
                assert!(
                    found.is_empty(),
                    "{dialect}/{name} contracts without saying so: {found:?}"
                );
            }
        }
        let bad = "CREATE TABLE t (a BIGINT);\nALTER TABLE users DROP COLUMN email;\n";
        assert_eq!(breaks_the_previous_release(bad).len(), 1);
        assert!(breaks_the_previous_release(
            "ALTER TABLE u ADD COLUMN x TEXT NOT NULL DEFAULT '';"
        )
        .is_empty());
        let said = "-- contract: 0.3 no longer reads it\nALTER TABLE users DROP COLUMN email;";
        assert!(breaks_the_previous_release(said).is_empty());
    }
}
