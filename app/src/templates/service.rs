//! The template editor's server side: reads, preview, save (through `template_versions::save`),
//! restore, and a test mail to the operator.

use super::model::{MissingTemplate, Preview, TemplateDetail, TemplateListRow, VariableView, VersionRow};
use crate::domain::page::{page_size, parse_id_cursor, Page};
use crate::domain::template::{render, validate, EmailTemplate};
use crate::error::AppError;
use crate::notifications::{events, template_versions, templates};
use crate::platform::caller::Ctx;
use crate::platform::change::Change;
use crate::platform::outbox::OutboxEvent;
use crate::platform::sql::{after_id, order_limit, starts_with, Order, Sql};
use crate::platform::state::AppState;
use serde_json::{Map, Value};

#[derive(sqlx::FromRow)]
struct Record {
    id: i64,
    event_type: String,
    channel: String,
    locale: String,
    enabled: i64,
    current_version: i64,
    updated_at: i64,
}

impl From<Record> for TemplateListRow {
    fn from(r: Record) -> TemplateListRow {
        TemplateListRow {
            id: r.id,
            event_type: r.event_type,
            channel: r.channel,
            locale: r.locale,
            enabled: r.enabled != 0,
            version: r.current_version,
            updated_at_ms: r.updated_at,
        }
    }
}

const SELECT: &str =
    "SELECT id, event_type, channel, locale, enabled, current_version, updated_at FROM message_templates WHERE 1 = 1";

/// Templates in the order they were seeded (event by event), keyset by id; `event` keeps those whose
/// event type starts with it.
pub async fn list(
    state: &AppState,
    event: Option<&str>,
    cursor: Option<&str>,
) -> Result<Page<TemplateListRow>, AppError> {
    let size = page_size(Some(50));
    let mut sql = Sql::new(state.db.backend, SELECT);
    if let Some(event) = event.map(str::trim).filter(|e| !e.is_empty()) {
        if event.chars().count() > 100 {
            return Err(AppError::invalid("event", "console_templates.too_long"));
        }
        // A prefix: `orders.` finds every order event.
        starts_with(&mut sql, "event_type", event);
    }
    after_id(&mut sql, "id", Order::Asc, parse_id_cursor(cursor));
    order_limit(&mut sql, "id ASC", size);
    let records: Vec<Record> = sql.query_as().fetch_all(state.db.read()).await?;
    let rows = records.into_iter().map(TemplateListRow::from).collect();
    Ok(Page::from_overfetch(rows, size, |r| r.id.to_string()))
}

pub async fn missing(state: &AppState) -> Result<Vec<MissingTemplate>, AppError> {
    Ok(templates::missing(&state.db)
        .await?
        .into_iter()
        .map(|(e, c, l)| MissingTemplate { event_type: e.into(), channel: c.as_str().into(), locale: l.into() })
        .collect())
}

pub async fn detail(state: &AppState, id: i64) -> Result<TemplateDetail, AppError> {
    let mut sql = Sql::new(state.db.backend, SELECT);
    let p = sql.arg(id);
    sql.push(&format!(" AND id = {p}"));
    let row: TemplateListRow =
        sql.query_as::<Record>().fetch_optional(state.db.read()).await?.ok_or(AppError::NotFound)?.into();
    let spec = events::find(&row.event_type).ok_or(AppError::NotFound)?;
    let versions: Vec<(i64, i64, Option<String>, String, String, String)> = sqlx::query_as(
        "SELECT v.version, v.created_at, u.email, v.subject, v.body_text, v.body_html \
         FROM message_template_versions v LEFT JOIN users u ON u.id = v.created_by \
         WHERE v.template_id = $1 ORDER BY v.version DESC LIMIT 50",
    )
    .bind(id)
    .fetch_all(state.db.read())
    .await?;
    let current = versions.iter().find(|v| v.0 == row.version).ok_or(AppError::NotFound)?;
    Ok(TemplateDetail {
        category: spec.category.as_str().into(),
        transactional: spec.transactional,
        subject: current.3.clone(),
        body_text: current.4.clone(),
        body_html: current.5.clone(),
        variables: spec
            .variables
            .iter()
            .map(|v| VariableView { name: v.name.into(), required: v.required, sample: v.sample.into() })
            .collect(),
        versions: versions
            .into_iter()
            .map(|(version, at, by, subject, _, _)| VersionRow { version, created_at_ms: at, created_by: by, subject })
            .collect(),
        row,
    })
}

async fn event_of(state: &AppState, id: i64) -> Result<(String, String), AppError> {
    sqlx::query_as("SELECT event_type, locale FROM message_templates WHERE id = $1")
        .bind(id)
        .fetch_optional(state.db.read())
        .await?
        .ok_or(AppError::NotFound)
}

/// Validates `t` as template `id` would be and renders it with its event's sample values.
pub async fn preview(state: &AppState, id: i64, t: &EmailTemplate) -> Result<Preview, AppError> {
    let (event_type, _) = event_of(state, id).await?;
    let spec = events::find(&event_type).ok_or(AppError::NotFound)?;
    validate(spec, t).map_err(|e| AppError::invalid(template_versions::field_of(&e), e.key()))?;
    let sample = |name: &str| spec.variable(name).map(|v| v.sample.to_string());
    let r = render(t, &sample);
    Ok(Preview { subject: r.subject, text: r.text, html: r.html })
}

pub async fn save(ctx: &Ctx, id: i64, t: &EmailTemplate, enabled: bool) -> Result<i64, AppError> {
    let mut c = Change::by(ctx).await?;
    let version = template_versions::save(&mut c, id, t, enabled, ctx.caller.user_id).await?;
    c.commit().await?;
    Ok(version)
}

/// Saves an older version's text as the newest version (history is never rewritten).
pub async fn restore(ctx: &Ctx, id: i64, version: i64) -> Result<i64, AppError> {
    let old: (String, String, String) = sqlx::query_as(
        "SELECT subject, body_text, body_html FROM message_template_versions WHERE template_id = $1 AND version = $2",
    )
    .bind(id)
    .bind(version)
    .fetch_optional(ctx.state.db.read())
    .await?
    .ok_or(AppError::NotFound)?;
    let enabled: i64 = sqlx::query_scalar("SELECT enabled FROM message_templates WHERE id = $1")
        .bind(id)
        .fetch_one(ctx.state.db.read())
        .await?;
    save(ctx, id, &EmailTemplate { subject: old.0, text: old.1, html: old.2 }, enabled != 0).await
}

/// Mails the template's current version, filled with sample values, to the operator's own address in
/// the template's locale. Through the outbox like every mail, so it is on the delivery desk too.
pub async fn send_test(ctx: &Ctx, id: i64) -> Result<(), AppError> {
    let (event_type, locale) = event_of(&ctx.state, id).await?;
    let spec = events::find(&event_type).ok_or(AppError::NotFound)?;
    let mut payload: Map<String, Value> =
        spec.variables.iter().map(|v| (v.name.to_string(), Value::from(v.sample))).collect();
    payload.insert(crate::platform::email::LOCALE_OVERRIDE.into(), Value::from(locale));
    let mut c = Change::unaudited(&ctx.state, "a template test mail to the operator themself").await?;
    c.notify(OutboxEvent::email_to(&ctx.caller.email, None, &event_type, Value::Object(payload))).await?;
    c.commit().await
}
