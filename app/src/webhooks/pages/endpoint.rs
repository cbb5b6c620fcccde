//! One endpoint on the webhooks page: its state, its actions, its edit form and its attempts log.

use super::calls::{self, Side};
use super::form::EndpointForm;
use super::shared::{failure, Shared};
use crate::components::badge::Tone;
use crate::components::form::FormAlert;
use crate::components::inline_table::InlineTable;
use crate::components::styles::{
    BUTTON_DANGER_SMALL, BUTTON_SECONDARY_SMALL, BUTTON_TINY, CARD, INPUT, LABEL, MUTED, TD_INLINE,
};
use crate::components::{StatusBadge, Time};
use crate::i18n::{t, translate, use_lang};
use crate::webhooks::model::{AttemptView, EndpointView, SecretOnce};
use leptos::prelude::*;

/// What a button on the card does.
#[derive(Debug, Clone)]
enum Op {
    Test,
    Rotate,
    Enable(bool),
    Delete,
    Replay(i64),
    ReplaySince(String),
}

impl Op {
    /// The "done" message once it worked.
    fn done(&self) -> &'static str {
        match self {
            Op::Test => "webhooks.test_sent",
            Op::Rotate => "webhooks.rotated",
            Op::Enable(true) => "webhooks.enabled",
            Op::Enable(false) => "webhooks.disabled",
            Op::Delete => "webhooks.deleted",
            Op::Replay(_) | Op::ReplaySince(_) => "webhooks.replayed",
        }
    }
}

async fn run(side: Side, id: i64, op: Op) -> Result<(&'static str, Option<SecretOnce>), crate::error::AppError> {
    let done = op.done();
    let secret = match op {
        Op::Test => calls::send_test(side, id).await.map(|_| None)?,
        Op::Rotate => Some(calls::rotate(side, id).await?),
        Op::Enable(on) => calls::set_enabled(side, id, on).await.map(|()| None)?,
        Op::Delete => calls::delete(side, id).await.map(|()| None)?,
        Op::Replay(outbox_id) => calls::replay(side, id, outbox_id).await.map(|()| None)?,
        Op::ReplaySince(since) => calls::replay_since(side, id, since).await.map(|_| None)?,
    };
    Ok((done, secret))
}

#[component]
pub fn EndpointCard(e: EndpointView, offered: Vec<String>, shared: Shared) -> impl IntoView {
    let lang = use_lang();
    let id = e.id;
    let side = shared.side;
    let act = Action::new(move |op: &Op| run(side, id, op.clone()));
    Effect::new(move |_| {
        if let Some(Ok((done, secret))) = act.value().get() {
            shared.notice.set(Some(done));
            if secret.is_some() {
                shared.secret.set(secret);
            }
            shared.refresh.update(|n| *n += 1);
        }
    });
    let editing = RwSignal::new(false);
    let show_log = RwSignal::new(false);
    let active = e.status == "active";
    let (tone, status_key) = match (active, e.disabled_reason.as_deref()) {
        (true, _) if e.failing_since_ms.is_some() => (Tone::Warning, "webhooks.status.failing"),
        (true, _) => (Tone::Success, "webhooks.status.active"),
        (false, Some("gone")) => (Tone::Danger, "webhooks.status.gone"),
        (false, Some("failing")) => (Tone::Danger, "webhooks.status.failed_too_long"),
        (false, _) => (Tone::Neutral, "webhooks.status.disabled"),
    };
    let events = if e.event_types.is_empty() {
        translate(lang.get_untracked(), "webhooks.all_events")
    } else {
        e.event_types.join(", ")
    };
    let edit = (e.id, e.url.clone(), e.description.clone(), e.event_types.clone());
    let url = e.url.clone();
    let label = move |key: &'static str| format!("{} {}", translate(lang.get(), key), url);
    let label = StoredValue::new(label);
    view! {
        <li class=CARD data-testid="webhook-endpoint" data-endpoint-id=e.id>
            <div class="flex flex-wrap items-start justify-between gap-2">
                <div class="min-w-0">
                    <p class="break-all font-mono text-sm font-medium" data-testid="endpoint-url">{e.url.clone()}</p>
                    {(!e.description.is_empty()).then(|| view! { <p class=MUTED>{e.description.clone()}</p> })}
                    <p class="mt-1 text-xs text-slate-500">{t("webhooks.events")}": "<span class="font-mono">{events}</span></p>
                    {e.previous_secret_until_ms.map(|until| view! {
                        <p class="mt-1 text-xs text-amber-800" data-testid="rotation-until">{t("webhooks.rotation_until")}" "<Time ms=until/></p>
                    })}
                </div>
                <StatusBadge tone label=t(status_key) testid="endpoint-status" status=e.status.clone()/>
            </div>
            <div class="mt-3 flex flex-wrap gap-2">
                <button type="button" class=BUTTON_SECONDARY_SMALL disabled=move || act.pending().get() || !active
                    aria-label=move || label.with_value(|l| l("webhooks.send_test")) on:click=move |_| { act.dispatch(Op::Test); }>
                    {t("webhooks.send_test")}
                </button>
                <button type="button" class=BUTTON_SECONDARY_SMALL disabled=move || act.pending().get()
                    aria-label=move || label.with_value(|l| l("webhooks.rotate")) on:click=move |_| { act.dispatch(Op::Rotate); }>
                    {t("webhooks.rotate")}
                </button>
                <button type="button" class=BUTTON_SECONDARY_SMALL disabled=move || act.pending().get()
                    on:click=move |_| { act.dispatch(Op::Enable(!active)); }>
                    {t(if active { "webhooks.disable" } else { "webhooks.enable" })}
                </button>
                <button type="button" class=BUTTON_SECONDARY_SMALL aria-expanded=move || editing.get().to_string()
                    on:click=move |_| editing.update(|v| *v = !*v)>
                    {t("webhooks.edit")}
                </button>
                <button type="button" class=BUTTON_SECONDARY_SMALL aria-expanded=move || show_log.get().to_string()
                    on:click=move |_| show_log.update(|v| *v = !*v)>
                    {t("webhooks.attempts")}
                </button>
                <button type="button" class=BUTTON_DANGER_SMALL disabled=move || act.pending().get()
                    aria-label=move || label.with_value(|l| l("webhooks.delete")) on:click=move |_| { act.dispatch(Op::Delete); }>
                    {t("webhooks.delete")}
                </button>
            </div>
            <div class="mt-2"><FormAlert error=failure(act.value())/></div>
            {move || editing.get().then(|| view! { <EndpointForm shared offered=offered.clone() edit=Some(edit.clone())/> })}
            {move || show_log.get().then(|| view! { <AttemptsLog shared id act/> })}
        </li>
    }
}

/// The endpoint's attempts, newest first, a page at a time; replay one message or every failure
/// since a time.
#[component]
fn AttemptsLog(
    shared: Shared,
    id: i64,
    act: Action<Op, Result<(&'static str, Option<SecretOnce>), crate::error::AppError>>,
) -> impl IntoView {
    let side = shared.side;
    let cursor = RwSignal::new(None::<String>);
    let log = Resource::new(move || (shared.refresh.get(), cursor.get()), move |(_, c)| calls::attempts(side, id, c));
    let since = RwSignal::new(String::new());
    let since_id = format!("replay-since-{id}");
    view! {
        <section class="mt-4 border-t border-slate-100 pt-4" aria-label=t("webhooks.attempts")>
            <crate::components::DetailResult resource=log let:page>
                {if page.rows.is_empty() {
                    view! { <p class=MUTED data-testid="attempts-empty">{t("webhooks.no_attempts")}</p> }.into_any()
                } else {
                    let next = page.next.clone();
                    view! {
                        <InlineTable caption="webhooks.attempts" testid="attempts-log" columns=vec![
                            "webhooks.col.time", "webhooks.col.event", "webhooks.col.status", "webhooks.col.latency",
                            "webhooks.col.answer", "webhooks.col.actions"]>
                            {page.rows.into_iter().map(|a| view! { <AttemptRow a act/> }).collect_view()}
                        </InlineTable>
                        {next.map(|n| view! {
                            <button type="button" class=format!("mt-2 {BUTTON_TINY}") on:click=move |_| cursor.set(Some(n.clone()))>
                                {t("webhooks.older")}
                            </button>
                        })}
                    }.into_any()
                }}
            </crate::components::DetailResult>
            <form class="mt-3 flex flex-wrap items-end gap-2" on:submit=move |ev| { ev.prevent_default(); act.dispatch(Op::ReplaySince(since.get_untracked())); }>
                <div>
                    <label for=since_id.clone() class=LABEL>{t("webhooks.replay_since")}</label>
                    <input id=since_id type="datetime-local" required=true class=INPUT
                        on:input=move |ev| since.set(event_target_value(&ev))/>
                </div>
                <button type="submit" class=BUTTON_SECONDARY_SMALL>{t("webhooks.replay_failed")}</button>
            </form>
        </section>
    }
}

#[component]
fn AttemptRow(
    a: AttemptView,
    act: Action<Op, Result<(&'static str, Option<SecretOnce>), crate::error::AppError>>,
) -> impl IntoView {
    let replayable = matches!(a.message_status.as_str(), "failed" | "exhausted");
    let outbox_id = a.outbox_id;
    let status = a.status_code.map_or_else(|| a.outcome.clone(), |c| format!("{c} · {}", a.outcome));
    let answer = a.response_excerpt.clone().filter(|s| !s.is_empty()).or(a.error.clone()).unwrap_or_default();
    view! {
        <tr data-testid="attempt-row" data-outcome=a.outcome.clone()>
            <td class=format!("{TD_INLINE} whitespace-nowrap")><Time ms=a.at_ms/></td>
            <td class=format!("{TD_INLINE} font-mono text-xs")>{a.event_type.clone()}" #"{a.attempt}</td>
            <td class=TD_INLINE data-testid="attempt-status">{status}</td>
            <td class=format!("{TD_INLINE} tabular-nums")>{a.latency_ms}" ms"</td>
            <td class=format!("{TD_INLINE} max-w-xs break-all font-mono text-xs")>{answer}</td>
            <td class=TD_INLINE>
                {replayable.then(|| view! {
                    <button type="button" class=BUTTON_TINY on:click=move |_| { act.dispatch(Op::Replay(outbox_id)); }>
                        {t("webhooks.replay")}
                    </button>
                })}
            </td>
        </tr>
    }
}
