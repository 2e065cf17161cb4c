//! The operators' console at `/ops`: operators' own sign-in (password and
//! TOTP), enrolment from a one-time link, and the pages that watch the
//! migration. Server-rendered, working without JavaScript, in every
//! language of the site; every action is audited with the operator.

pub mod api;
mod campaigns_ui;
mod cases_ui;
#[cfg(feature = "ssr")]
mod chart;
mod closing_ui;
mod codes_ui;
mod find_ui;
mod funnel_ui;
mod operators_ui;
mod outbox_ui;
#[cfg(feature = "ssr")]
pub mod service;
pub mod step;
mod table;
pub mod ui;

use crate::domain::Role;
use crate::i18n::Msg;
use serde::{Deserialize, Serialize};

pub use campaigns_ui::{OpsCampaignPage, OpsCampaignsPage};
pub use cases_ui::OpsCasesPage;
pub use closing_ui::OpsClosingPage;
pub use codes_ui::OpsCodesPage;
pub use find_ui::{OpsFindPage, OpsShownPage, OpsStuckPage};
pub use operators_ui::OpsOperatorsPage;
pub use outbox_ui::OpsOutboxPage;
pub use ui::{OpsAuditPage, OpsEnrolPage, OpsLockedPage, OpsProgressPage, OpsSignInPage};

/// What the console's sign-in page shows again after a failed sign-in: the
/// username typed (never the password or the code) and why it failed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct OpsSignInState {
    pub username: String,
    pub error: Option<Msg>,
}

/// The enrolment page: the authenticator's seed as a QR code and as text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Enrolment {
    pub username: String,
    pub role: Role,
    /// An `<svg>` element drawn on the server.
    pub qr_svg: String,
    /// The seed in Base32, in groups of four, for typing by hand.
    pub seed_text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum EnrolState {
    Ready(Enrolment),
    /// Unknown, used or expired link.
    Invalid,
    Fault(String),
}

/// The operator signed in, as the pages name them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Me {
    pub username: String,
    pub role: Role,
}

/// One old portal's figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SourceFigures {
    pub source: String,
    pub loaded: i64,
    pub consolidated: i64,
    pub in_wizard: i64,
    pub not_started: i64,
    /// Its last day (`YYYY-MM-DD`) and the days left, where it has one.
    pub closes: Option<(String, i64)>,
}

/// One import run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportLine {
    /// `2026-11-25 14:03 UTC`.
    pub when: String,
    pub who: String,
    pub dry_run: bool,
    pub what: String,
}

/// Consolidations on one day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DayCount {
    /// `2026-11-30`.
    pub day: String,
    pub count: i64,
}

/// One step of the wizard funnel.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FunnelStep {
    /// The step's heading (catalogue key).
    pub key: String,
    /// Wizards that reached it.
    pub reached: i64,
    /// Wizards that went no further (still there, or left).
    pub stopped: i64,
    /// The median time at the step, of the wizards that went on.
    pub median_secs: Option<i64>,
}

/// The wizard funnel of the wizards begun in a period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Funnel {
    /// `YYYY-MM-DD`, UTC, inclusive.
    pub from: String,
    pub to: String,
    pub begun: i64,
    pub steps: Vec<FunnelStep>,
    /// Of those begun, how many from a campaign's link, and how many of
    /// their accounts have moved since.
    pub from_links: (i64, i64),
}

/// The Progress page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    /// The last 30 days, oldest first, today last.
    pub per_day: Vec<DayCount>,
    /// The same as a bar chart: an `<svg>` element drawn on the server.
    pub chart_svg: String,
    pub sources: Vec<SourceFigures>,
    pub total: SourceFigures,
    pub logins: i64,
    /// Logins with a second step, by kind of method (`app`).
    pub second_steps: Vec<(String, i64)>,
    /// Logins with none.
    pub unprotected: i64,
    pub imports: Vec<ImportLine>,
    pub funnel: Funnel,
    /// A period typed wrong (the funnel then shows the last 30 days).
    pub funnel_errors: Vec<crate::flow::FieldError>,
}

/// One lock in force.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LockLine {
    /// `answer:42`: what Unlock sends back.
    pub lock: String,
    /// `answer`, `password`, `sign_in`, `registration`, `operator`.
    pub kind: String,
    pub who: String,
    /// `2026-11-25 14:03 UTC`.
    pub ends: String,
    pub minutes_left: i64,
}

/// The Locked page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Locked {
    pub locks: Vec<LockLine>,
}

/// One mail on the Outbox page: never its body, which may hold a code.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutboxMail {
    /// When it was written (UTC).
    pub written: String,
    pub kind: String,
    /// `jo*****@example.com`.
    pub to: String,
    pub subject: String,
    /// `queued`, `retrying` or `failed`.
    pub status: String,
    /// The next try (queued, retrying) or when it failed for good (UTC).
    pub when: String,
    pub attempts: i64,
    /// The last failure's class (`unreachable`, `timeout`, `rejected`, ...).
    pub last_error: String,
}

/// The Outbox page: mail waiting or retrying, and mail that failed for
/// good in the last [`OUTBOX_FAILED_DAYS`] days.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutboxPage {
    pub mails: Vec<OutboxMail>,
}

/// A "This wasn't me" case on the Cases page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseLine {
    pub id: i64,
    pub reference: String,
    /// The frozen login.
    pub username: String,
    /// Its address, masked.
    pub email: String,
    /// When reported (UTC), and from which address.
    pub opened: String,
    pub address: String,
    /// The old accounts under the login now: (username, practice).
    pub accounts: Vec<(String, String)>,
    /// `open`, `undone` or `lifted`.
    pub status: String,
    /// When decided (UTC), or empty.
    pub decided: String,
    /// An open case's consolidation: every step of the wizards that
    /// consolidated the login's accounts, newest first.
    pub trail: Vec<AuditLine>,
}

/// The Cases page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CasesPage {
    pub cases: Vec<CaseLine>,
}

/// How far back the Outbox page lists mail that failed for good.
pub const OUTBOX_FAILED_DAYS: i64 = 7;

/// The audit search as typed (the page's address carries it).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AuditQuery {
    /// `YYYY-MM-DD`, UTC, inclusive.
    pub from: String,
    pub to: String,
    pub action: String,
    pub outcome: String,
    /// An old account's username.
    pub account: String,
    /// An operator's username.
    pub operator: String,
    pub address: String,
    /// From 1.
    pub page: u32,
}

/// One event on the Audit page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditLine {
    pub when: String,
    pub action: String,
    pub outcome: String,
    pub repeats: i64,
    pub address: String,
    pub account: String,
    pub operator: String,
    pub target: String,
    pub reason: String,
}

/// The Audit page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditView {
    pub errors: Vec<crate::flow::FieldError>,
    pub lines: Vec<AuditLine>,
    pub page: u32,
    /// Whether older events follow.
    pub more: bool,
}

/// Where an old account is in the migration, as Find shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum AccountStatus {
    NotStarted,
    /// In a flow (`wizard`) at a step (`verify`), last seen then.
    InFlow {
        kind: String,
        step: String,
        seen: String,
    },
    Consolidated {
        login: String,
        on: String,
    },
}

/// An old account found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OldAccountCard {
    pub username: String,
    pub source: String,
    pub practice: String,
    pub role: String,
    pub masked_tins: Vec<String>,
    pub status: AccountStatus,
    /// Its audit trail, newest first (the last 20 events).
    pub trail: Vec<AuditLine>,
    /// Its live support code, if it has one: until when, and the tries left.
    pub support_code: Option<(String, i64)>,
    pub campaign_mail: CampaignMail,
}

/// Whether campaigns write to an old account's address (Find; issue 32).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum CampaignMail {
    Open,
    NoAddress,
    /// Since when, as a time.
    Unsubscribed(String),
    Bouncing(String),
}

/// A new-portal login found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LoginCard {
    pub id: i64,
    pub username: String,
    pub masked_email: String,
    pub created: String,
    pub accounts: Vec<crate::domain::AccountSummary>,
    /// Sessions active in the last 30 minutes.
    pub sessions: i64,
    /// The login's second steps (never a secret).
    pub second_steps: Vec<crate::security::MethodView>,
    /// Backup codes not used yet.
    pub backup_left: i64,
}

/// The Find an account page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Found {
    pub searched: bool,
    /// A TIN search's TIN, masked.
    pub tin: Option<String>,
    pub accounts: Vec<OldAccountCard>,
    pub logins: Vec<LoginCard>,
}

/// Flows idle at one step, on the Stuck page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StuckLine {
    pub kind: String,
    pub step: String,
    pub flows: i64,
    /// Minutes idle: the longest and the shortest.
    pub longest: i64,
    pub shortest: i64,
}

/// One idle flow.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StuckRow {
    pub kind: String,
    pub step: String,
    /// Minutes idle, and since it began.
    pub idle: i64,
    pub age: i64,
    pub account: String,
}

/// The Stuck page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Stuck {
    /// Idle at least this many minutes.
    pub minutes: i64,
    pub groups: Vec<StuckLine>,
    pub flows: Vec<StuckRow>,
}

/// One registration code on the Registration codes page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CodeLine {
    pub id: i64,
    /// `***-**6879`.
    pub tin: String,
    pub practice: String,
    pub role: String,
    pub created: String,
    pub expires: String,
    /// `live`, `used`, `expired`, `revoked`, `locked` (catalogue:
    /// `ops-code-status-…`), and since when for used and revoked.
    pub status: String,
    pub since: Option<String>,
}

/// What was typed into Issue a registration code, kept when it is refused
/// (never the TIN: it is typed again).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CodeForm {
    pub practice: String,
    pub role: String,
    pub days: String,
    pub reason: String,
    /// The field refused, and why (catalogue keys).
    pub error: String,
    pub field: String,
}

/// One old portal on the Closing dates page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClosingLine {
    pub source: String,
    /// The name shown to providers, the last day (`YYYY-MM-DD`) and the
    /// days left, where a date is set.
    pub name: Option<String>,
    pub closes: Option<(String, i64)>,
    pub refuse_after: bool,
    pub loaded: i64,
    /// Its accounts not consolidated yet.
    pub not_moved: i64,
}

/// The Closing dates page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Closings {
    pub portals: Vec<ClosingLine>,
}

/// What Set a closing date keeps after a refusal.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ClosingForm {
    pub source: String,
    pub name: String,
    pub closes_on: String,
    /// `lookup` or `refuse`.
    pub after: String,
    pub reason: String,
    /// The field refused, and why (catalogue keys).
    pub error: String,
    pub field: String,
}

/// One campaign in the list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CampaignLine {
    pub id: i64,
    pub name: String,
    /// `draft`, `running`, `paused`, `stopped`, `done`.
    pub state: String,
    pub per_hour: i64,
    pub created: String,
    /// Invitations sent (taken by the mail server).
    pub sent: i64,
}

/// The Campaigns page: the campaigns, and the old portals to pick from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CampaignsPage {
    pub campaigns: Vec<CampaignLine>,
    pub sources: Vec<String>,
}

/// What New campaign keeps after a refusal.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CampaignForm {
    pub name: String,
    /// One old portal, or '' for every one.
    pub source: String,
    pub statuses: Vec<String>,
    pub langs: Vec<String>,
    pub per_hour: String,
    pub reminders: String,
    /// `YYYY-MM-DD`, or '' for any time.
    pub imported_before: String,
    pub reason: String,
    pub error: String,
    pub field: String,
}

/// One wave's figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WaveLine {
    pub wave: i64,
    pub sent: i64,
    pub bounced: i64,
    pub unsubscribed: i64,
    pub started: i64,
    pub finished_7: i64,
    pub finished_30: i64,
}

/// A campaign's page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CampaignView {
    pub id: i64,
    pub name: String,
    pub state: String,
    /// The old portals picked ('' for every one), statuses and languages.
    pub sources: Vec<String>,
    pub statuses: Vec<String>,
    pub langs: Vec<String>,
    pub per_hour: i64,
    pub reminders: Vec<i64>,
    /// Only the accounts imported before this day (`YYYY-MM-DD`).
    pub imported_before: Option<String>,
    pub created: String,
    pub started: Option<String>,
    pub ended: Option<String>,
    /// Addresses and old accounts it would write to now.
    pub addresses: i64,
    pub accounts: i64,
    /// The mail as a provider reads it: subject and text (links shown as
    /// placeholders), for the first address it writes to.
    pub preview: Option<(String, String)>,
    pub waves: Vec<WaveLine>,
}

/// The Registration codes page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Codes {
    pub codes: Vec<CodeLine>,
}

/// One operator on the Operators page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OperatorCard {
    pub id: i64,
    pub username: String,
    pub role: Role,
    /// `enrolled`, `awaiting` (a link is out), `link-expired`, `disabled`
    /// (catalogue: `ops-operator-status-…`).
    pub status: String,
    pub created: String,
    pub last_seen: Option<String>,
    /// The operator viewing the page: no Disable or Reset for oneself.
    pub me: bool,
}

/// The Operators page (admin).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Operators {
    pub operators: Vec<OperatorCard>,
}

/// What the console shows once to the operator who asked for it, on the
/// page `/ops/shown`, and never again.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Shown {
    /// `support-code`, `registration-code` or `enrol-link`.
    pub kind: String,
    /// Whose it is: an old account's username, or a masked TIN and its
    /// practice.
    pub subject: String,
    /// The code as read out.
    pub secret: String,
    /// `2026-12-04 10:00 UTC`.
    pub expires: String,
}

/// A console page's data, or why there is none.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Console<T> {
    Page(Me, T),
    /// No operator session: the page sends the browser to sign in.
    SignedOut,
    /// The operator's role may not see this page: to Progress, which says so.
    Refused,
    Fault(String),
}
