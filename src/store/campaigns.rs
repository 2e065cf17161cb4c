//! Invitation campaigns (issue 32): a campaign, its addresses (one per
//! address however many old accounts it holds), each wave's mail written
//! into the outbox with its tokens, and the addresses no campaign writes
//! to. Pacing and the once-only sending rest on one conditional update of
//! the campaign's pace: of two instances ticking at once, one writes.

use super::import::placeholders;
use super::{outbox::enqueue_in, Backend, DbResult, NewMail, Store};
use sqlx::any::AnyRow;
use sqlx::Row;

/// A campaign as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct CampaignRow {
    pub id: i64,
    pub name: String,
    /// The old portals picked (none: every one).
    pub sources: Vec<String>,
    /// `not_started`, `in_wizard`, `stuck`.
    pub statuses: Vec<String>,
    /// `en`, `es`, or both.
    pub langs: Vec<String>,
    pub per_hour: i64,
    /// Days after the invitation.
    pub reminders: Vec<i64>,
    /// Only the accounts imported before this second (Unix; None: any).
    pub imported_before: Option<i64>,
    /// `draft`, `running`, `paused`, `stopped`, `done`.
    pub state: String,
    pub created_at: i64,
    pub started_at: Option<i64>,
    pub ended_at: Option<i64>,
    pub paced_ms: i64,
}

/// A campaign to create.
pub struct NewCampaign<'a> {
    pub name: &'a str,
    pub sources: &'a [String],
    pub statuses: &'a [String],
    pub langs: &'a [String],
    pub per_hour: i64,
    pub reminders: &'a [i64],
    pub imported_before: Option<i64>,
}

/// An old account as a campaign's mail lists it: id, username, practice,
/// old portal.
pub type AccountLine = (i64, String, String, String);

/// An address due for its next wave, with its accounts.
#[derive(Debug, Clone)]
pub struct DueAddress {
    pub id: i64,
    pub address: String,
    /// Waves sent so far.
    pub waves: i64,
    pub first_at: Option<i64>,
    /// Its accounts not moved yet: (id, username, practice, source).
    pub accounts: Vec<AccountLine>,
    /// `unsubscribed` or `bouncing`, if the address is suppressed.
    pub suppressed: Option<String>,
}

/// What a tick writes for one address.
pub enum AddressWrite {
    /// The wave's mail, its tokens (keyed hash, account or None for the
    /// unsubscribe token), and when the next wave is due.
    Send {
        id: i64,
        waves_before: i64,
        mail: Box<NewMail>,
        tokens: Vec<(String, Option<i64>)>,
        next_at: Option<i64>,
    },
    /// Nothing more for this address, and why.
    End {
        id: i64,
        waves_before: i64,
        why: &'static str,
    },
}

/// One wave's figures.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WaveFigures {
    pub wave: i64,
    pub sent: i64,
    pub bounced: i64,
    pub unsubscribed: i64,
    pub started: i64,
    pub finished_7: i64,
    pub finished_30: i64,
}

fn words(s: &str) -> Vec<String> {
    s.split_whitespace().map(str::to_string).collect()
}

fn campaign_from_row(r: &AnyRow) -> DbResult<CampaignRow> {
    Ok(CampaignRow {
        id: r.try_get("id")?,
        name: r.try_get("name")?,
        sources: words(&r.try_get::<String, _>("sources")?),
        statuses: words(&r.try_get::<String, _>("statuses")?),
        langs: words(&r.try_get::<String, _>("langs")?),
        per_hour: r.try_get("per_hour")?,
        reminders: words(&r.try_get::<String, _>("reminders")?)
            .iter()
            .filter_map(|d| d.parse().ok())
            .collect(),
        imported_before: r.try_get("imported_before")?,
        state: r.try_get("state")?,
        created_at: r.try_get("created_at")?,
        started_at: r.try_get("started_at")?,
        ended_at: r.try_get("ended_at")?,
        paced_ms: r.try_get("paced_ms")?,
    })
}

/// The old accounts a campaign picks, as a condition on `la` (with its
/// sources bound from `$first` on).
fn picked(c: &CampaignRow, backend: Backend, first: usize) -> String {
    let mut cond = vec![
        "la.consolidated_into IS NULL".to_string(),
        "la.email IS NOT NULL".to_string(),
        "TRIM(la.email) <> ''".to_string(),
    ];
    if let Some(before) = c.imported_before {
        // A number of ours, not anything typed: written into the statement.
        // An account loaded before the time was kept counts as imported
        // before any date.
        cond.push(format!(
            "(la.imported_at IS NULL OR la.imported_at < {before})"
        ));
    }
    if !c.sources.is_empty() {
        cond.push(format!(
            "COALESCE(la.source, '(demo)') IN ({})",
            placeholders(backend, first, c.sources.len())
        ));
    }
    // In a wizard now; stuck: a wizard reached it before, none holds it now.
    let held = "(la.id IN (SELECT legacy_account_id FROM flows WHERE legacy_account_id IS NOT NULL AND step <> 'done') \
                OR la.id IN (SELECT legacy_account_id FROM wizard_accounts))";
    let reached = "EXISTS (SELECT 1 FROM audit_events e WHERE e.legacy_account_id = la.id)";
    let mut any = Vec::new();
    for s in &c.statuses {
        match s.as_str() {
            "in_wizard" => any.push(held.to_string()),
            "stuck" => any.push(format!("(NOT {held} AND {reached})")),
            "not_started" => any.push(format!("(NOT {held} AND NOT {reached})")),
            _ => {}
        }
    }
    if !any.is_empty() && any.len() < 3 {
        cond.push(format!("({})", any.join(" OR ")));
    }
    cond.join(" AND ")
}

impl Store {
    /// A new campaign, as a draft; its id.
    pub async fn create_campaign(
        &self,
        c: &NewCampaign<'_>,
        operator: Option<i64>,
        now: i64,
    ) -> DbResult<i64> {
        let reminders: Vec<String> = c.reminders.iter().map(i64::to_string).collect();
        sqlx::query(
            "INSERT INTO campaigns (name, sources, statuses, langs, per_hour, reminders, imported_before, state, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, 'draft', $8, $9) RETURNING id",
        )
        .bind(c.name)
        .bind(c.sources.join(" "))
        .bind(c.statuses.join(" "))
        .bind(c.langs.join(" "))
        .bind(c.per_hour)
        .bind(reminders.join(" "))
        .bind(c.imported_before)
        .bind(operator)
        .bind(now)
        .fetch_one(&self.pool)
        .await?
        .try_get("id")
    }

    pub async fn campaign(&self, id: i64) -> DbResult<Option<CampaignRow>> {
        self.one(
            "SELECT * FROM campaigns WHERE id = $1",
            id,
            campaign_from_row,
        )
        .await
    }

    /// Every campaign, newest first.
    pub async fn campaigns(&self) -> DbResult<Vec<CampaignRow>> {
        sqlx::query("SELECT * FROM campaigns ORDER BY id DESC")
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(campaign_from_row)
            .collect()
    }

    /// The campaigns sending now.
    pub async fn running_campaigns(&self) -> DbResult<Vec<CampaignRow>> {
        sqlx::query("SELECT * FROM campaigns WHERE state = 'running' ORDER BY id")
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(campaign_from_row)
            .collect()
    }

    /// How many addresses (and old accounts) `c` would write to now.
    pub async fn campaign_reach(&self, c: &CampaignRow) -> DbResult<(i64, i64)> {
        let sql = format!(
            "SELECT COUNT(DISTINCT LOWER(TRIM(la.email))) AS addresses, COUNT(*) AS accounts \
             FROM legacy_accounts la WHERE {}",
            picked(c, self.backend, 1)
        );
        let mut q = sqlx::query(&sql);
        for s in &c.sources {
            q = q.bind(s);
        }
        let r = q.fetch_one(&self.pool).await?;
        Ok((r.try_get("addresses")?, r.try_get("accounts")?))
    }

    /// The first address `c` would write to now, and its accounts (id,
    /// username, practice, source): what the console's preview shows.
    pub async fn campaign_sample(&self, c: &CampaignRow) -> DbResult<Vec<AccountLine>> {
        let n = c.sources.len();
        let sql = format!(
            "SELECT la.id, la.username, la.practice, COALESCE(la.source, '(demo)') AS source \
             FROM legacy_accounts la WHERE {} AND LOWER(TRIM(la.email)) = \
               (SELECT MIN(LOWER(TRIM(la.email))) FROM legacy_accounts la WHERE {}) \
             ORDER BY la.username_key",
            picked(c, self.backend, 1),
            picked(c, self.backend, 1 + n),
        );
        let mut q = sqlx::query(&sql);
        for s in c.sources.iter().chain(&c.sources) {
            q = q.bind(s);
        }
        q.fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| {
                Ok((
                    r.try_get("id")?,
                    r.try_get("username")?,
                    r.try_get("practice")?,
                    r.try_get("source")?,
                ))
            })
            .collect()
    }

    /// Starts draft `id`: its addresses and their accounts picked now, in
    /// one transaction; the number of addresses, or None if it was no
    /// draft (started already, or by another operator at once).
    pub async fn start_campaign(&self, id: i64, now: i64) -> DbResult<Option<i64>> {
        let mut tx = self.begin_write().await?;
        let started = sqlx::query(
            "UPDATE campaigns SET state = 'running', started_at = $2, paced_ms = $3 \
             WHERE id = $1 AND state = 'draft' RETURNING *",
        )
        .bind(id)
        .bind(now)
        .bind(now * 1000)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(c) = started.as_ref().map(campaign_from_row).transpose()? else {
            return Ok(None);
        };
        let sql = format!(
            "INSERT INTO campaign_recipients (campaign_id, address, next_at) \
             SELECT {first}, LOWER(TRIM(la.email)), {now} FROM legacy_accounts la WHERE {} \
             GROUP BY LOWER(TRIM(la.email))",
            picked(&c, self.backend, 1),
            first = c.id,
        );
        let mut q = sqlx::query(&sql);
        for s in &c.sources {
            q = q.bind(s);
        }
        let addresses = q.execute(&mut *tx).await?.rows_affected() as i64;
        let sql = format!(
            "INSERT INTO campaign_members (recipient_id, legacy_account_id) \
             SELECT r.id, la.id FROM legacy_accounts la \
             JOIN campaign_recipients r ON r.campaign_id = {} AND r.address = LOWER(TRIM(la.email)) WHERE {}",
            c.id,
            picked(&c, self.backend, 1),
        );
        let mut q = sqlx::query(&sql);
        for s in &c.sources {
            q = q.bind(s);
        }
        q.execute(&mut *tx).await?;
        super::commit(tx).await?;
        Ok(Some(addresses))
    }

    /// Moves campaign `id` from one of `from` to `to`; whether it moved.
    /// Resuming sets the pace to now, so that a pause is not made up in
    /// one burst.
    pub async fn move_campaign(
        &self,
        id: i64,
        from: &[&str],
        to: &str,
        now: i64,
    ) -> DbResult<bool> {
        let from = from
            .iter()
            .map(|s| format!("'{s}'"))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "UPDATE campaigns SET state = $2, \
               ended_at = CASE WHEN $2 IN ('stopped', 'done') THEN $3 ELSE ended_at END, \
               paced_ms = CASE WHEN $2 = 'running' AND paced_ms < $4 THEN $4 ELSE paced_ms END \
             WHERE id = $1 AND state IN ({from})"
        );
        Ok(sqlx::query(&sql)
            .bind(id)
            .bind(to)
            .bind(now)
            .bind(now * 1000)
            .execute(&self.pool)
            .await?
            .rows_affected()
            > 0)
    }

    /// Up to `limit` addresses of campaign `id` due at `now`, with their
    /// accounts not moved yet and whether the address is suppressed.
    pub async fn due_addresses(&self, id: i64, now: i64, limit: i64) -> DbResult<Vec<DueAddress>> {
        let rows = sqlx::query(
            "SELECT r.id, r.address, r.waves, r.first_at, s.reason FROM campaign_recipients r \
             LEFT JOIN mail_suppressions s ON s.address = r.address \
             WHERE r.campaign_id = $1 AND r.ended IS NULL AND r.next_at <= $2 \
             ORDER BY r.next_at, r.id LIMIT $3",
        )
        .bind(id)
        .bind(now)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        let mut due: Vec<DueAddress> = rows
            .iter()
            .map(|r| {
                Ok(DueAddress {
                    id: r.try_get("id")?,
                    address: r.try_get("address")?,
                    waves: r.try_get("waves")?,
                    first_at: r.try_get("first_at")?,
                    accounts: Vec::new(),
                    suppressed: r.try_get("reason")?,
                })
            })
            .collect::<DbResult<_>>()?;
        if due.is_empty() {
            return Ok(due);
        }
        let sql = format!(
            "SELECT m.recipient_id, la.id, la.username, la.practice, COALESCE(la.source, '(demo)') AS source \
             FROM campaign_members m JOIN legacy_accounts la ON la.id = m.legacy_account_id \
             WHERE la.consolidated_into IS NULL AND m.recipient_id IN ({}) ORDER BY la.username_key",
            placeholders(self.backend, 1, due.len())
        );
        let mut q = sqlx::query(&sql);
        for d in &due {
            q = q.bind(d.id);
        }
        for r in q.fetch_all(&self.pool).await? {
            let of: i64 = r.try_get("recipient_id")?;
            if let Some(d) = due.iter_mut().find(|d| d.id == of) {
                d.accounts.push((
                    r.try_get("id")?,
                    r.try_get("username")?,
                    r.try_get("practice")?,
                    r.try_get("source")?,
                ));
            }
        }
        Ok(due)
    }

    /// Writes a tick of campaign `id`: its pace moved on by the mails sent
    /// (only if it still stands at `paced_ms`, so that of two instances
    /// one writes), and each address's wave. How many mails were written,
    /// or None if another instance wrote this tick.
    pub async fn write_tick(
        &self,
        id: i64,
        (paced_ms, new_paced_ms): (i64, i64),
        writes: &[AddressWrite],
        now: i64,
    ) -> DbResult<Option<usize>> {
        let mut tx = self.begin_write().await?;
        let paced = sqlx::query(
            "UPDATE campaigns SET paced_ms = $3 WHERE id = $1 AND paced_ms = $2 AND state = 'running'",
        )
        .bind(id)
        .bind(paced_ms)
        .bind(new_paced_ms)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if paced == 0 {
            return Ok(None);
        }
        let mut sent = 0;
        for w in writes {
            match w {
                AddressWrite::End {
                    id,
                    waves_before,
                    why,
                } => {
                    sqlx::query(
                        "UPDATE campaign_recipients SET ended = $3, next_at = NULL WHERE id = $1 AND waves = $2",
                    )
                    .bind(id)
                    .bind(waves_before)
                    .bind(*why)
                    .execute(&mut *tx)
                    .await?;
                }
                AddressWrite::Send {
                    id,
                    waves_before,
                    mail,
                    tokens,
                    next_at,
                } => {
                    let moved = sqlx::query(
                        "UPDATE campaign_recipients SET waves = waves + 1, next_at = $3, \
                           first_at = COALESCE(first_at, $4) WHERE id = $1 AND waves = $2 AND ended IS NULL",
                    )
                    .bind(id)
                    .bind(waves_before)
                    .bind(next_at)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                    if moved == 0 {
                        continue;
                    }
                    let outbox = enqueue_in(&mut tx, std::slice::from_ref(mail), now).await?[0];
                    sqlx::query(
                        "INSERT INTO campaign_sends (recipient_id, wave, outbox_id, at) VALUES ($1, $2, $3, $4)",
                    )
                    .bind(id)
                    .bind(waves_before + 1)
                    .bind(outbox)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                    for (hash, account) in tokens {
                        sqlx::query(
                            "INSERT INTO campaign_tokens (token_hash, recipient_id, wave, legacy_account_id) \
                             VALUES ($1, $2, $3, $4)",
                        )
                        .bind(hash)
                        .bind(id)
                        .bind(waves_before + 1)
                        .bind(account)
                        .execute(&mut *tx)
                        .await?;
                    }
                    sent += 1;
                }
            }
        }
        super::commit(tx).await?;
        Ok(Some(sent))
    }

    /// A campaign with no address due any more is done.
    pub async fn finish_campaign_if_done(&self, id: i64, now: i64) -> DbResult<bool> {
        Ok(sqlx::query(
            "UPDATE campaigns SET state = 'done', ended_at = $2 WHERE id = $1 AND state = 'running' \
             AND NOT EXISTS (SELECT 1 FROM campaign_recipients r WHERE r.campaign_id = $1 AND r.next_at IS NOT NULL)",
        )
        .bind(id)
        .bind(now)
        .execute(&self.pool)
        .await?
        .rows_affected()
            > 0)
    }

    /// The token of a link or an unsubscribe: (campaign, address, wave,
    /// account), if it is one.
    pub async fn campaign_token(
        &self,
        hash: &str,
    ) -> DbResult<Option<(i64, String, i64, Option<i64>)>> {
        let r = sqlx::query(
            "SELECT r.campaign_id, r.address, t.wave, t.legacy_account_id FROM campaign_tokens t \
             JOIN campaign_recipients r ON r.id = t.recipient_id WHERE t.token_hash = $1",
        )
        .bind(hash)
        .fetch_optional(&self.pool)
        .await?;
        r.map(|r| {
            Ok((
                r.try_get("campaign_id")?,
                r.try_get("address")?,
                r.try_get("wave")?,
                r.try_get("legacy_account_id")?,
            ))
        })
        .transpose()
    }

    /// Records a wizard begun from link `hash` (once per wizard).
    pub async fn record_campaign_start(&self, hash: &str, flow: &str, now: i64) -> DbResult<()> {
        sqlx::query(
            "INSERT INTO campaign_starts (token_hash, flow_id, at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
        )
        .bind(hash)
        .bind(flow)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Suppresses `address` for every campaign from now on (the first
    /// reason stays); its waves not sent yet end. Whether it was new.
    pub async fn suppress_address(
        &self,
        address: &str,
        reason: &str,
        campaign: Option<i64>,
        now: i64,
    ) -> DbResult<bool> {
        let mut tx = self.begin_write().await?;
        let new = sqlx::query(
            "INSERT INTO mail_suppressions (address, reason, at, campaign_id) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (address) DO NOTHING",
        )
        .bind(address)
        .bind(reason)
        .bind(now)
        .bind(campaign)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            > 0;
        sqlx::query(
            "UPDATE campaign_recipients SET ended = $2, next_at = NULL WHERE address = $1 AND ended IS NULL",
        )
        .bind(address)
        .bind(reason)
        .execute(&mut *tx)
        .await?;
        super::commit(tx).await?;
        Ok(new)
    }

    /// Why `address` gets no campaign mail, if it does not.
    pub async fn suppression_of(&self, address: &str) -> DbResult<Option<(String, i64)>> {
        let r = sqlx::query("SELECT reason, at FROM mail_suppressions WHERE address = $1")
            .bind(address)
            .fetch_optional(&self.pool)
            .await?;
        r.map(|r| Ok((r.try_get("reason")?, r.try_get("at")?)))
            .transpose()
    }

    /// The campaign mail of outbox row `id`, if it is one: (campaign, address).
    pub async fn campaign_of_mail(&self, id: i64) -> DbResult<Option<(i64, String)>> {
        let r = sqlx::query(
            "SELECT r.campaign_id, r.address FROM campaign_sends s \
             JOIN campaign_recipients r ON r.id = s.recipient_id WHERE s.outbox_id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        r.map(|r| Ok((r.try_get("campaign_id")?, r.try_get("address")?)))
            .transpose()
    }

    /// Each campaign's invitations (first wave) taken by the mail server,
    /// in one read (the Campaigns list).
    pub async fn invitations_sent(&self) -> DbResult<std::collections::HashMap<i64, i64>> {
        sqlx::query(
            "SELECT r.campaign_id, COUNT(*) AS n FROM campaign_sends s \
             JOIN campaign_recipients r ON r.id = s.recipient_id JOIN outbox o ON o.id = s.outbox_id \
             WHERE s.wave = 1 AND o.sent_at IS NOT NULL GROUP BY r.campaign_id",
        )
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| Ok((r.try_get("campaign_id")?, r.try_get("n")?)))
        .collect()
    }

    /// Campaign `id`'s figures per wave: mails sent (taken by the mail
    /// server), bounced, addresses unsubscribed after it, wizards begun
    /// from its links, and its accounts moved within 7 and 30 days.
    pub async fn campaign_figures(&self, id: i64) -> DbResult<Vec<WaveFigures>> {
        let rows = sqlx::query(
            "SELECT s.wave, \
               CAST(SUM(CASE WHEN o.sent_at IS NOT NULL THEN 1 ELSE 0 END) AS BIGINT) AS sent, \
               CAST(SUM(CASE WHEN o.failed_at IS NOT NULL AND o.last_error = 'rejected' THEN 1 ELSE 0 END) AS BIGINT) AS bounced, \
               CAST(SUM(CASE WHEN x.reason = 'unsubscribed' AND x.at >= s.at THEN 1 ELSE 0 END) AS BIGINT) AS unsubscribed \
             FROM campaign_sends s JOIN campaign_recipients r ON r.id = s.recipient_id \
             JOIN outbox o ON o.id = s.outbox_id \
             LEFT JOIN mail_suppressions x ON x.address = r.address \
             WHERE r.campaign_id = $1 GROUP BY s.wave ORDER BY s.wave",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        let mut figures: Vec<WaveFigures> = rows
            .iter()
            .map(|r| {
                Ok(WaveFigures {
                    wave: r.try_get("wave")?,
                    sent: r.try_get("sent")?,
                    bounced: r.try_get("bounced")?,
                    unsubscribed: r.try_get("unsubscribed")?,
                    ..WaveFigures::default()
                })
            })
            .collect::<DbResult<_>>()?;
        let started = sqlx::query(
            "SELECT t.wave, COUNT(DISTINCT st.flow_id) AS n FROM campaign_starts st \
             JOIN campaign_tokens t ON t.token_hash = st.token_hash \
             JOIN campaign_recipients r ON r.id = t.recipient_id \
             WHERE r.campaign_id = $1 GROUP BY t.wave",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        for r in started {
            let wave: i64 = r.try_get("wave")?;
            if let Some(f) = figures.iter_mut().find(|f| f.wave == wave) {
                f.started = r.try_get("n")?;
            }
        }
        // An account moved after a wave and before the next one counts for
        // that wave.
        let finished = sqlx::query(
            "SELECT s.wave, \
               CAST(SUM(CASE WHEN la.consolidated_at - s.at <= 604800 THEN 1 ELSE 0 END) AS BIGINT) AS d7, \
               CAST(SUM(CASE WHEN la.consolidated_at - s.at <= 2592000 THEN 1 ELSE 0 END) AS BIGINT) AS d30 \
             FROM campaign_sends s JOIN campaign_recipients r ON r.id = s.recipient_id \
             JOIN campaign_members m ON m.recipient_id = r.id \
             JOIN legacy_accounts la ON la.id = m.legacy_account_id \
             WHERE r.campaign_id = $1 AND la.consolidated_at >= s.at \
               AND NOT EXISTS (SELECT 1 FROM campaign_sends n WHERE n.recipient_id = s.recipient_id \
                 AND n.wave = s.wave + 1 AND n.at <= la.consolidated_at) \
             GROUP BY s.wave",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        for r in finished {
            let wave: i64 = r.try_get("wave")?;
            if let Some(f) = figures.iter_mut().find(|f| f.wave == wave) {
                f.finished_7 = r.try_get("d7")?;
                f.finished_30 = r.try_get("d30")?;
            }
        }
        Ok(figures)
    }
}
