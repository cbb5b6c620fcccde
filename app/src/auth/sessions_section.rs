//! The account page's "Where you're signed in": each live session with its device, IP and times;
//! "Sign out" on any other one, "Sign out everywhere else" for all of them. Each form posts without
//! JavaScript too; after a success the list is read again.

use super::sessions::{my_sessions, EndMyOtherSessions, EndMySession, SessionRow};
use crate::components::form::form_error;
use crate::components::styles::{BUTTON_SECONDARY_SMALL, CARD, H2, MUTED, TD_INLINE};
use crate::components::{DetailResult, FormAlert, InlineTable, StatusBadge, SubmitButton, Time, Tone};
use crate::i18n::t;
use leptos::prelude::*;

#[component]
pub fn SessionsSection() -> impl IntoView {
    let end_one = ServerAction::<EndMySession>::new();
    let end_others = ServerAction::<EndMyOtherSessions>::new();
    let sessions = Resource::new(move || (end_one.version().get(), end_others.version().get()), |_| my_sessions());
    let ended = move || {
        let ok = |r: Option<Result<(), _>>| matches!(r, Some(Ok(())));
        ok(end_one.value().get()) || ok(end_others.value().get())
    };
    view! {
        <section class=CARD aria-labelledby="sessions-title" data-testid="sessions">
            <h2 id="sessions-title" class=H2>{t("auth.sessions.title")}</h2>
            <p class=format!("mt-1 {MUTED}")>{t("auth.sessions.intro")}</p>
            {move || ended().then(|| view! {
                <p role="status" class="mt-2 text-sm text-green-700" data-testid="sessions-ended">{t("auth.sessions.ended")}</p>
            })}
            <FormAlert error=form_error(move || end_one.value().get())/>
            <FormAlert error=form_error(move || end_others.value().get())/>
            <DetailResult resource=sessions let:rows>
                <SessionTable rows=rows.clone() end_one/>
                {(rows.iter().filter(|r| !r.current).count() > 0).then(|| view! {
                    <ActionForm action=end_others attr:class="mt-4">
                        <SubmitButton label="auth.sessions.end_others" pending=end_others.pending()/>
                    </ActionForm>
                })}
            </DetailResult>
        </section>
    }
}

#[component]
fn SessionTable(rows: Vec<SessionRow>, end_one: ServerAction<EndMySession>) -> impl IntoView {
    let columns = vec![
        "auth.sessions.device",
        "auth.sessions.ip",
        "auth.sessions.last_seen",
        "auth.sessions.signed_in",
        "auth.sessions.action",
    ];
    view! {
        <InlineTable caption="auth.sessions.title" columns testid="session-table">
            {rows.into_iter().map(|row| view! { <SessionLine row end_one/> }).collect_view()}
        </InlineTable>
    }
}

#[component]
fn SessionLine(row: SessionRow, end_one: ServerAction<EndMySession>) -> impl IntoView {
    let device = device(&row);
    let action = if row.current {
        view! { <StatusBadge tone=Tone::Success label=t("auth.sessions.this_device") testid="this-device"/> }.into_any()
    } else {
        let (end, which) = (t("auth.sessions.end"), format!("{} {}", device_text_for_label(&row), row.ip));
        view! {
            <ActionForm action=end_one>
                <input type="hidden" name="handle" value=row.handle.clone()/>
                <button type="submit" class=format!("{BUTTON_SECONDARY_SMALL} whitespace-nowrap") aria-label=move || format!("{} ({which})", end())>
                    {t("auth.sessions.end")}
                </button>
            </ActionForm>
        }
        .into_any()
    };
    view! {
        <tr data-testid="session-row">
            <td class=TD_INLINE>{device}</td>
            <td class=format!("{TD_INLINE} tabular-nums")>{row.ip.clone()}</td>
            <td class=TD_INLINE><Time ms=row.last_seen_at_ms/></td>
            <td class=TD_INLINE><Time ms=row.created_at_ms/></td>
            <td class=TD_INLINE>{action}</td>
        </tr>
    }
}

/// "Chrome on Linux"; an unrecognised browser or system reads as such, in the page's language.
fn device(row: &SessionRow) -> impl Fn() -> String + Send + Sync + 'static {
    let (browser, system) = (row.browser.clone(), row.system.clone());
    let (unknown_browser, unknown_system) = (t("auth.sessions.unknown_browser"), t("auth.sessions.unknown_system"));
    let on = t("auth.sessions.device_on");
    move || {
        let browser = if browser.is_empty() { unknown_browser() } else { browser.clone() };
        let system = if system.is_empty() { unknown_system() } else { system.clone() };
        on().replace("{browser}", &browser).replace("{system}", &system)
    }
}

fn device_text_for_label(row: &SessionRow) -> String {
    format!("{} {}", row.browser, row.system).trim().to_string()
}
