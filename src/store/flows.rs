//! Flow records: one table for every server-side flow (the wizard, Forgot
//! Username, Forgot Password, Register), the old accounts a wizard has
//! proven, and Finish, which merges them.

use super::codes::close_code;
use super::{AuditEvent, DbResult, LinkedAccount, Store};
use sqlx::any::AnyRow;
use sqlx::Row;

/// A flow as stored. Which fields a flow uses depends on its `kind`.
#[derive(Clone, Debug, PartialEq)]
pub struct FlowRow {
    pub id: String,
    pub token_hash: String,
    /// `wizard`, `forgot_username`, `forgot_password` or `register`.
    pub kind: String,
    pub step: String,
    pub created_at: i64,
    pub last_seen_at: i64,
    pub username_draft: String,
    /// A TIN typed wrong (a valid one is never kept).
    pub tin_draft: String,
    pub email_draft: String,
    pub verify_email_draft: String,
    pub email: Option<String>,
    pub email_verified: bool,
    /// What the last action left for the page to say (JSON).
    pub flash: Option<String>,
    /// The login: a signed-in user adding accounts, Forgot Password's
    /// login, or the one a flow created.
    pub portal_user_id: Option<i64>,
    /// The wizard: the old account being proven.
    pub legacy_account_id: Option<i64>,
    /// The wizard: the question shown for a username and TIN that match nothing.
    pub decoy_question: Option<String>,
    /// Register: the code proven with its TIN.
    pub registration_code_id: Option<i64>,
}

impl FlowRow {
    /// A new flow of `kind` at `step`, reached with the token whose hash is `token_hash`.
    pub fn new(id: String, token_hash: String, kind: &str, step: &str, now: i64) -> FlowRow {
        FlowRow {
            id,
            token_hash,
            kind: kind.into(),
            step: step.into(),
            created_at: now,
            last_seen_at: now,
            username_draft: String::new(),
            tin_draft: String::new(),
            email_draft: String::new(),
            verify_email_draft: String::new(),
            email: None,
            email_verified: false,
            flash: None,
            portal_user_id: None,
            legacy_account_id: None,
            decoy_question: None,
            registration_code_id: None,
        }
    }
}

const FLOW_COLUMNS: &str = "id, token_hash, kind, step, created_at, last_seen_at, username_draft, tin_draft, \
     email_draft, verify_email_draft, email, email_verified, flash, portal_user_id, legacy_account_id, \
     decoy_question, registration_code_id";

type AnyQuery<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>;

/// Binds a flow's columns as $1..$17, in [`FLOW_COLUMNS`]' order.
fn bind_flow<'q>(q: AnyQuery<'q>, f: &'q FlowRow) -> AnyQuery<'q> {
    q.bind(&f.id)
        .bind(&f.token_hash)
        .bind(&f.kind)
        .bind(&f.step)
        .bind(f.created_at)
        .bind(f.last_seen_at)
        .bind(&f.username_draft)
        .bind(&f.tin_draft)
        .bind(&f.email_draft)
        .bind(&f.verify_email_draft)
        .bind(&f.email)
        .bind(f.email_verified as i64)
        .bind(&f.flash)
        .bind(f.portal_user_id)
        .bind(f.legacy_account_id)
        .bind(&f.decoy_question)
        .bind(f.registration_code_id)
}

/// A value bound to a query's parameter.
pub(super) enum Param {
    Text(String),
    Int(i64),
}

/// Deletes the flows that `condition` selects (over `flows`, with `params`
/// as $1, $2, ...), with their emailed codes and proven accounts, in `tx`.
/// Returns how many flows.
pub(super) async fn delete_flows(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    condition: &str,
    params: &[Param],
) -> DbResult<u64> {
    let which = format!("SELECT id FROM flows WHERE {condition}");
    let mut deleted = 0;
    for table in [
        "wizard_accounts WHERE wizard_id",
        "email_codes WHERE flow_id",
        "flows WHERE id",
    ] {
        let sql = format!("DELETE FROM {table} IN ({which})");
        let mut q = sqlx::query(&sql);
        for p in params {
            q = match p {
                Param::Text(s) => q.bind(s.clone()),
                Param::Int(n) => q.bind(*n),
            };
        }
        deleted = q.execute(&mut **tx).await?.rows_affected();
    }
    Ok(deleted)
}

fn flow_from_row(r: &AnyRow) -> DbResult<FlowRow> {
    Ok(FlowRow {
        id: r.try_get("id")?,
        token_hash: r.try_get("token_hash")?,
        kind: r.try_get("kind")?,
        step: r.try_get("step")?,
        created_at: r.try_get("created_at")?,
        last_seen_at: r.try_get("last_seen_at")?,
        username_draft: r.try_get("username_draft")?,
        tin_draft: r.try_get("tin_draft")?,
        email_draft: r.try_get("email_draft")?,
        verify_email_draft: r.try_get("verify_email_draft")?,
        email: r.try_get("email")?,
        email_verified: r.try_get::<i64, _>("email_verified")? != 0,
        flash: r.try_get("flash")?,
        portal_user_id: r.try_get("portal_user_id")?,
        legacy_account_id: r.try_get("legacy_account_id")?,
        decoy_question: r.try_get("decoy_question")?,
        registration_code_id: r.try_get("registration_code_id")?,
    })
}

/// How Finish ended.
#[derive(Debug, Clone, PartialEq)]
pub enum FinishOutcome {
    Merged {
        portal_user_id: i64,
    },
    /// One of the accounts was consolidated by somebody else first.
    AlreadyConsolidated {
        legacy_account_id: i64,
    },
    NothingToMerge,
    /// The signed-in login was frozen ("This wasn't me") or disabled.
    LoginFrozen,
}

impl Store {
    pub async fn insert_flow(&self, f: &FlowRow) -> DbResult<()> {
        self.insert_flow_audited(f, None).await
    }

    /// [`Store::insert_flow`], with the audit event of the step that made
    /// it (at its time) in the same transaction.
    pub async fn insert_flow_audited(
        &self,
        f: &FlowRow,
        audited: Option<(i64, &AuditEvent<'_>)>,
    ) -> DbResult<()> {
        let sql = format!(
            "INSERT INTO flows ({FLOW_COLUMNS}) \
             VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17)"
        );
        let Some((now, event)) = audited else {
            bind_flow(sqlx::query(&sql), f).execute(&self.pool).await?;
            return Ok(());
        };
        let mut tx = self.begin_write().await?;
        bind_flow(sqlx::query(&sql), f).execute(&mut *tx).await?;
        super::limits::insert_audit(&mut *tx, now, event).await?;
        super::commit(tx).await
    }

    pub async fn flow_by_token_hash(&self, token_hash: &str) -> DbResult<Option<FlowRow>> {
        self.one(
            &format!("SELECT {FLOW_COLUMNS} FROM flows WHERE token_hash = $1"),
            token_hash,
            flow_from_row,
        )
        .await
    }

    /// Writes `f` only if the stored flow is still at `expected_step` with
    /// `expected_token_hash`: of two concurrent requests on one flow only
    /// one moves it. Returns whether it was written.
    pub async fn update_flow(
        &self,
        f: &FlowRow,
        expected_step: &str,
        expected_token_hash: &str,
    ) -> DbResult<bool> {
        let r = bind_flow(sqlx::query(UPDATE_FLOW), f)
            .bind(expected_step)
            .bind(expected_token_hash)
            .execute(&self.pool)
            .await?;
        Ok(r.rows_affected() == 1)
    }

    /// [`Store::update_flow`], what the step writes beside it and its audit
    /// event (at its time), in one transaction: a step either happened whole or not at all (a process
    /// killed between two commits left a wizard at Verify Username and
    /// Password with the account already in its list; one killed after a
    /// code was used left a flow at its code step with no code). Nothing is
    /// written, and `false` is returned, if the flow was moved meanwhile or
    /// `with` cannot be written (the code was voided meanwhile).
    pub async fn update_flow_with(
        &self,
        f: &FlowRow,
        expected_step: &str,
        expected_token_hash: &str,
        with: Option<&StepWrite<'_>>,
        audited: Option<(i64, &AuditEvent<'_>)>,
    ) -> DbResult<bool> {
        if with.is_none() && audited.is_none() {
            return self
                .update_flow(f, expected_step, expected_token_hash)
                .await;
        }
        let mut tx = self.begin_write().await?;
        let r = bind_flow(sqlx::query(UPDATE_FLOW), f)
            .bind(expected_step)
            .bind(expected_token_hash)
            .execute(&mut *tx)
            .await?;
        if r.rows_affected() != 1 {
            super::rollback(tx).await?;
            return Ok(false);
        }
        let written = match with {
            None => true,
            Some(StepWrite::AddAccount {
                legacy_account_id,
                new_password_hash,
            }) => {
                add_wizard_account(&mut tx, &f.id, *legacy_account_id, new_password_hash).await?;
                true
            }
            Some(StepWrite::UseCode { code_id }) => close_code(&mut tx, *code_id, "used").await?,
        };
        if !written {
            super::rollback(tx).await?;
            return Ok(false);
        }
        if let Some((now, event)) = audited {
            super::limits::insert_audit(&mut *tx, now, event).await?;
        }
        super::commit(tx).await?;
        Ok(true)
    }

    /// Removes a flow and everything that hangs off it.
    pub async fn delete_flow(&self, id: &str) -> DbResult<()> {
        let mut tx = self.begin_write().await?;
        delete_flows(&mut tx, "id = $1", &[Param::Text(id.into())]).await?;
        super::commit(tx).await
    }

    /// Deletes flows idle for `idle` seconds or older than
    /// `lifetime` (finished ones included), with their codes and accounts.
    /// Returns how many.
    pub async fn sweep_flows(&self, now: i64, idle: i64, lifetime: i64) -> DbResult<u64> {
        let mut tx = self.begin_write().await?;
        let stale = [Param::Int(now - idle), Param::Int(now - lifetime)];
        let n = delete_flows(&mut tx, "last_seen_at < $1 OR created_at < $2", &stale).await?;
        super::commit(tx).await?;
        Ok(n)
    }

    // ---- the old accounts a wizard has proven -------------------------------------

    /// The accounts proven in a wizard so far, in the order added, with
    /// their email of record.
    pub async fn wizard_accounts(
        &self,
        wizard_id: &str,
    ) -> DbResult<Vec<(i64, LinkedAccount, Option<String>)>> {
        let rows = sqlx::query(
            "SELECT la.id, la.username, la.practice, la.role, la.email FROM wizard_accounts wa JOIN legacy_accounts la ON la.id = wa.legacy_account_id \
             WHERE wa.wizard_id = $1 ORDER BY wa.position",
        )
        .bind(wizard_id)
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let id: i64 = r.try_get("id")?;
            let account = LinkedAccount {
                username: r.try_get("username")?,
                practice: r.try_get("practice")?,
                role: r.try_get("role")?,
                tins: self.legacy_tins(id).await?,
            };
            out.push((id, account, r.try_get("email")?));
        }
        Ok(out)
    }

    pub async fn remove_wizard_account(
        &self,
        wizard_id: &str,
        legacy_account_id: i64,
    ) -> DbResult<()> {
        sqlx::query("DELETE FROM wizard_accounts WHERE wizard_id = $1 AND legacy_account_id = $2")
            .bind(wizard_id)
            .bind(legacy_account_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    // ---- finish -----------------------------------------------------------------

    /// Merges the wizard's accounts into a new portal user, in one
    /// transaction: all or nothing. With them go the wizard's move to Done
    /// on its new token (`done.token_hash`), the new login's session if
    /// `done.session_hash` (a login that was adding accounts keeps its
    /// own), the mails, and the audit event.
    pub async fn finish(
        &self,
        wizard_id: &str,
        email: &str,
        into_user: Option<i64>,
        now: i64,
        mails: &[super::NewMail],
        done: &FinishWrites<'_>,
    ) -> DbResult<FinishOutcome> {
        let mut tx = self.begin_write().await?;
        let accounts = sqlx::query(
            "SELECT wa.legacy_account_id, wa.new_password_hash, la.username, COALESCE(la.source, '(demo)') AS source FROM wizard_accounts wa \
             JOIN legacy_accounts la ON la.id = wa.legacy_account_id WHERE wa.wizard_id = $1 ORDER BY wa.position",
        )
        .bind(wizard_id)
        .fetch_all(&mut *tx)
        .await?;
        let Some(first) = accounts.first() else {
            super::rollback(tx).await?;
            return Ok(FinishOutcome::NothingToMerge);
        };
        let user_id: i64 = match into_user {
            // A signed-in user adding an account later keeps their login,
            // unless it was frozen or disabled meanwhile. The guard locks
            // the login's row: a freeze or an undo at the same moment
            // either waits for this Finish or makes it refused, never half.
            Some(id) => {
                let usable = sqlx::query(
                    "UPDATE portal_users SET frozen_at = frozen_at WHERE id = $1 AND frozen_at IS NULL AND disabled_at IS NULL",
                )
                .bind(id)
                .execute(&mut *tx)
                .await?
                .rows_affected()
                    == 1;
                if !usable {
                    super::rollback(tx).await?;
                    return Ok(FinishOutcome::LoginFrozen);
                }
                id
            }
            None => {
                let username: String = first.try_get("username")?;
                let password_hash: String = first.try_get("new_password_hash")?;
                // The first account's username is taken only by the login it
                // was consolidated into (old usernames are unique, and
                // Register refuses them): another wizard won the race.
                let inserted = sqlx::query(
                    "INSERT INTO portal_users (username, username_key, password_hash, email, created_at) \
                     VALUES ($1, $2, $3, $4, $5) ON CONFLICT (username_key) DO NOTHING RETURNING id",
                )
                .bind(&username)
                .bind(crate::domain::username_key(&username))
                .bind(&password_hash)
                .bind(email)
                .bind(now)
                .fetch_optional(&mut *tx)
                .await?;
                let Some(row) = inserted else {
                    super::rollback(tx).await?;
                    return Ok(FinishOutcome::AlreadyConsolidated {
                        legacy_account_id: first.try_get("legacy_account_id")?,
                    });
                };
                row.try_get("id")?
            }
        };
        // By source, then id: the trigger that counts consolidations by day
        // and source (migration 0011) then locks its rows in one order in
        // every Finish, so that two Finishes cannot wait on each other.
        let mut order: Vec<(String, i64)> = accounts
            .iter()
            .map(|a| Ok((a.try_get("source")?, a.try_get("legacy_account_id")?)))
            .collect::<Result<_, sqlx::Error>>()?;
        order.sort();
        for (_, legacy_id) in order {
            // The conditional update is the guard: of concurrent merges of
            // one account, exactly one finds it unconsolidated.
            let r = sqlx::query("UPDATE legacy_accounts SET consolidated_into = $1, consolidated_at = $2 WHERE id = $3 AND consolidated_into IS NULL")
                .bind(user_id)
                .bind(now)
                .bind(legacy_id)
                .execute(&mut *tx)
                .await?;
            if r.rows_affected() != 1 {
                super::rollback(tx).await?;
                return Ok(FinishOutcome::AlreadyConsolidated {
                    legacy_account_id: legacy_id,
                });
            }
            sqlx::query("INSERT INTO portal_links (portal_user_id, legacy_account_id, linked_at) VALUES ($1, $2, $3)")
                .bind(user_id)
                .bind(legacy_id)
                .bind(now)
                .execute(&mut *tx)
                .await?;
        }
        if done.fail_before_commit {
            super::rollback(tx).await?;
            return Err(sqlx::Error::Protocol(
                "injected failure before commit".into(),
            ));
        }
        sqlx::query("UPDATE flows SET step = 'done', portal_user_id = $2, flash = NULL, last_seen_at = $3, token_hash = $4 WHERE id = $1")
            .bind(wizard_id)
            .bind(user_id)
            .bind(now)
            .bind(done.token_hash)
            .execute(&mut *tx)
            .await?;
        if let Some(session) = done.session_hash {
            super::users::insert_session(&mut *tx, session, user_id, now).await?;
        }
        super::limits::insert_audit(&mut *tx, now, &done.event).await?;
        sqlx::query("DELETE FROM wizard_accounts WHERE wizard_id = $1")
            .bind(wizard_id)
            .execute(&mut *tx)
            .await?;
        // The confirmation and the notices go with the merge, or neither,
        // and so do their "This wasn't me" links.
        super::outbox::enqueue_in(&mut tx, mails, now).await?;
        super::notme::insert_links(&mut tx, mails, user_id, now).await?;
        super::commit(tx).await?;
        Ok(FinishOutcome::Merged {
            portal_user_id: user_id,
        })
    }
}

/// A flow's row written over the one a request read (the same parameters
/// as the insert; a flow's kind and start never change), if it is still
/// at the step and token that request read.
const UPDATE_FLOW: &str = "UPDATE flows SET token_hash = $2, step = $4, last_seen_at = $6, username_draft = $7, \
       tin_draft = $8, email_draft = $9, verify_email_draft = $10, email = $11, email_verified = $12, \
       flash = $13, portal_user_id = $14, legacy_account_id = $15, decoy_question = $16, \
       registration_code_id = $17 \
     WHERE id = $1 AND kind = $3 AND created_at = $5 AND step = $18 AND token_hash = $19";

/// What a step writes beside its flow's row, in the same transaction.
/// What a Finish writes beside the merge (see [`Store::finish`]).
pub struct FinishWrites<'a> {
    pub token_hash: &'a str,
    pub session_hash: Option<&'a str>,
    pub event: AuditEvent<'a>,
    /// For the test that proves a failure in the middle leaves no partial
    /// rows.
    pub fail_before_commit: bool,
}

pub enum StepWrite<'a> {
    /// An old account proven joins the wizard's list, with the new login's
    /// hash of its password.
    AddAccount {
        legacy_account_id: i64,
        new_password_hash: &'a str,
    },
    /// The email code accepted is used up (unless it was voided or used
    /// meanwhile: then nothing is written).
    UseCode { code_id: i64 },
}

async fn add_wizard_account(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    wizard_id: &str,
    legacy_account_id: i64,
    new_password_hash: &str,
) -> DbResult<()> {
    sqlx::query("DELETE FROM wizard_accounts WHERE wizard_id = $1 AND legacy_account_id = $2")
        .bind(wizard_id)
        .bind(legacy_account_id)
        .execute(&mut **tx)
        .await?;
    sqlx::query(
        "INSERT INTO wizard_accounts (wizard_id, legacy_account_id, new_password_hash, position) \
         VALUES ($1, $2, $3, (SELECT COUNT(*) FROM wizard_accounts WHERE wizard_id = $1))",
    )
    .bind(wizard_id)
    .bind(legacy_account_id)
    .bind(new_password_hash)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
