//! Saving a template: a new version, validated against its event's `EventSpec`, that becomes the
//! current one; audited as `templates.save`. What the console's template editor calls.

use super::events;
use crate::domain::audit::{AuditAction, AuditTarget};
use crate::domain::template::{validate, EmailTemplate, Part, TemplateError};
use crate::error::{AppError, Context};
use crate::platform::change::{Audit, Change};
use serde_json::json;

/// The form field a template problem is shown next to.
pub fn field_of(e: &TemplateError) -> &'static str {
    match e.part() {
        Some(Part::Subject) => "subject",
        Some(Part::Text) | None => "body_text",
        Some(Part::Html) => "body_html",
    }
}

/// Saves `t` as the next version of template `template_id` and makes it current (and sets whether
/// the template is enabled). A template that fails validation is refused with the problem next to
/// its field and nothing changes. Returns the new version number.
pub async fn save(
    c: &mut Change,
    template_id: i64,
    t: &EmailTemplate,
    enabled: bool,
    by_user: i64,
) -> Result<i64, AppError> {
    let row: Option<(String, i64)> =
        sqlx::query_as("SELECT event_type, current_version FROM message_templates WHERE id = $1")
            .bind(template_id)
            .fetch_optional(c.conn())
            .await
            .context("reading the template")?;
    let (event_type, current) = row.ok_or(AppError::NotFound)?;
    let spec = events::find(&event_type).ok_or(AppError::NotFound)?;
    validate(spec, t).map_err(|e| AppError::invalid(field_of(&e), e.key()))?;
    let version = current + 1;
    let now = c.now_ms();
    sqlx::query(
        "INSERT INTO message_template_versions (template_id, version, subject, body_text, body_html, created_at, \
         created_by) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(template_id)
    .bind(version)
    .bind(&t.subject)
    .bind(&t.text)
    .bind(&t.html)
    .bind(now)
    .bind(by_user)
    .execute(c.conn())
    .await
    .context("saving the template version")?;
    // The version check makes two editors saving at once conflict instead of one silently losing.
    let moved = sqlx::query(
        "UPDATE message_templates SET current_version = $1, enabled = $2, updated_at = $3 \
         WHERE id = $4 AND current_version = $5",
    )
    .bind(version)
    .bind(i64::from(enabled))
    .bind(now)
    .bind(template_id)
    .bind(current)
    .execute(c.conn())
    .await
    .context("making the version current")?;
    if moved.rows_affected() != 1 {
        return Err(AppError::conflict("template.error.changed"));
    }
    let audit = Audit::new(AuditAction::TemplatesSave, AuditTarget::MessageTemplate(template_id))
        .before(json!({"version": current}))
        .after(json!({"version": version, "enabled": enabled, "event_type": event_type}));
    c.audit(audit).await?;
    Ok(version)
}
