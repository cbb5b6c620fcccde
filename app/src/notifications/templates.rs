//! Stored message templates: one `message_templates` row per (event, channel, locale), each save a new
//! `message_template_versions` row. Seeded at start-up from each `EventSpec`'s defaults; read by the
//! email channel (the current version of an enabled template) and by the console's template editor
//! (list, coverage). Saving a version is `template_versions::save` (it needs a `Change`).

use super::events;
use crate::domain::delivery::Channel;
use crate::domain::template::EmailTemplate;
use crate::platform::db::Db;
use crate::platform::sql::Sql;
use std::collections::HashMap;

/// The locales templates exist in, in the order of `EventSpec::email`'s defaults.
pub const LOCALES: [&str; 2] = ["en", "zh"];

/// Inserts every missing (event, email, locale) template with its default as version 1. Idempotent
/// and safe with several servers starting together (the unique key decides, the loser inserts
/// nothing). Returns how many were inserted.
pub async fn seed_missing(db: &Db, now_ms: i64) -> Result<usize, sqlx::Error> {
    let mut inserted = 0;
    for spec in events::all() {
        let Some(defaults) = spec.email else { continue };
        for (locale, default) in LOCALES.into_iter().zip(defaults) {
            let mut tx = db.begin().await?;
            let id: Option<i64> = sqlx::query_scalar(
                "INSERT INTO message_templates (event_type, channel, locale, enabled, current_version, updated_at) \
                 VALUES ($1, $2, $3, 1, 1, $4) ON CONFLICT (event_type, channel, locale) DO NOTHING RETURNING id",
            )
            .bind(spec.event_type)
            .bind(Channel::Email.as_str())
            .bind(locale)
            .bind(now_ms)
            .fetch_optional(&mut *tx)
            .await?;
            let Some(id) = id else { continue };
            sqlx::query(
                "INSERT INTO message_template_versions (template_id, version, subject, body_text, body_html, \
                 created_at, created_by) VALUES ($1, 1, $2, $3, $4, $5, NULL)",
            )
            .bind(id)
            .bind(default.subject)
            .bind(default.text)
            .bind(default.html)
            .bind(now_ms)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            inserted += 1;
        }
    }
    Ok(inserted)
}

/// A template row (the editor's list).
#[derive(Debug, Clone, PartialEq)]
pub struct TemplateRow {
    pub id: i64,
    pub event_type: String,
    pub channel: String,
    pub locale: String,
    pub enabled: bool,
    pub current_version: i64,
    pub updated_at: i64,
}

type Record = (i64, String, String, String, i64, i64, i64);

const ROW: &str = "id, event_type, channel, locale, enabled, current_version, updated_at";

fn row((id, event_type, channel, locale, enabled, current_version, updated_at): Record) -> TemplateRow {
    TemplateRow { id, event_type, channel, locale, enabled: enabled != 0, current_version, updated_at }
}

/// Every template, by event, channel and locale.
pub async fn list(db: &Db) -> Result<Vec<TemplateRow>, sqlx::Error> {
    let rows: Vec<Record> =
        sqlx::query_as(&format!("SELECT {ROW} FROM message_templates ORDER BY event_type, channel, locale"))
            .fetch_all(db.read())
            .await?;
    Ok(rows.into_iter().map(row).collect())
}

pub async fn find(db: &Db, id: i64) -> Result<Option<TemplateRow>, sqlx::Error> {
    let r: Option<Record> = sqlx::query_as(&format!("SELECT {ROW} FROM message_templates WHERE id = $1"))
        .bind(id)
        .fetch_optional(db.read())
        .await?;
    Ok(r.map(row))
}

/// What the email channel renders: the current version of a template, or `None` when it is disabled
/// (nothing is sent) or missing.
#[derive(Debug, Clone, PartialEq)]
pub struct Current {
    pub template_id: i64,
    pub version: i64,
    pub template: EmailTemplate,
}

/// The current version of (event, email, locale), if the template exists; `Ok(Some((false, ..)))`
/// when it is disabled.
pub async fn current_email(db: &Db, event_type: &str, locale: &str) -> Result<Option<(bool, Current)>, sqlx::Error> {
    let mut found = current_emails(db, &[event_type]).await?;
    Ok(found.remove(&(event_type.to_string(), locale.to_string())))
}

/// The current email versions of `event_types` in every locale, by (event, locale), in one read
/// (the email channel reads those of a claimed batch together).
pub async fn current_emails(
    db: &Db,
    event_types: &[&str],
) -> Result<HashMap<(String, String), (bool, Current)>, sqlx::Error> {
    if event_types.is_empty() {
        return Ok(HashMap::new());
    }
    let mut sql = Sql::new(db.backend, "");
    let (events, channel) = (sql.list(event_types.iter().copied()), sql.arg(Channel::Email.as_str()));
    sql.push(&format!(
        "SELECT t.event_type, t.locale, t.id, t.enabled, v.version, v.subject, v.body_text, v.body_html \
         FROM message_templates t JOIN message_template_versions v \
           ON v.template_id = t.id AND v.version = t.current_version \
         WHERE t.event_type IN ({events}) AND t.channel = {channel}"
    ));
    type Found = (String, String, i64, i64, i64, String, String, String);
    let rows: Vec<Found> = sql.query_as().fetch_all(db.read()).await?;
    Ok(rows
        .into_iter()
        .map(|(event_type, locale, template_id, enabled, version, subject, text, html)| {
            let current = Current { template_id, version, template: EmailTemplate { subject, text, html } };
            ((event_type, locale), (enabled != 0, current))
        })
        .collect())
}

/// The (event, channel, locale) combinations an event declares but no template row exists for (the
/// editor's coverage view; empty after `seed_missing`, unless a row was removed by hand).
pub async fn missing(db: &Db) -> Result<Vec<(&'static str, Channel, &'static str)>, sqlx::Error> {
    let present: Vec<(String, String, String)> =
        sqlx::query_as("SELECT event_type, channel, locale FROM message_templates").fetch_all(db.read()).await?;
    let has = |e: &str, c: Channel, l: &str| present.iter().any(|(pe, pc, pl)| pe == e && pc == c.as_str() && pl == l);
    Ok(events::all()
        .filter(|spec| spec.email.is_some())
        .flat_map(|spec| LOCALES.into_iter().map(move |l| (spec.event_type, Channel::Email, l)))
        .filter(|(e, c, l)| !has(e, *c, l))
        .collect())
}
