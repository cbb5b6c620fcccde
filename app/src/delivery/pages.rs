//! `/console/delivery`: the delivery desk — counters, filters (channel, state, event, recipient), every
//! message newest first, and "replay all that match". `/console/delivery/:id`: one message, its payload
//! and attempts, replay. `/console/delivery/suppressions`: addresses mail no longer goes to, clearing one.

use super::api::{
    delivery_desk_counters, get_delivery, list_deliveries, list_suppressions, ClearSuppression, ReplayDeliveries,
    ReplayDelivery,
};
use super::model::{status_key, AttemptRow, DeliveryCounters, DeliveryDetail, DeliveryRow, SuppressionRow};
use crate::components::form::{field_error, form_error};
use crate::components::states::error_text;
use crate::components::styles::{CARD, HINT, TD};
use crate::components::{
    label_or_raw, query_param, Counter, Counters, DataTable, DetailResult, DoneNotice, Field, Fields, FilterBar,
    ForbiddenState, FormAlert, ListResult, ProtectedFields, Section, SelectFilter, StatusBadge, SubmitButton,
    TextFilter, Time, Tone,
};
use crate::domain::delivery::{Channel, DeliveryStatus};
use crate::domain::permissions::{DELIVERY_MANAGE, DELIVERY_VIEW};
use crate::error::AppError;
use crate::frame::console::shell::{use_operator, PageHeader};
use crate::i18n::{fill, t, translate, use_lang};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

fn tone(s: DeliveryStatus) -> Tone {
    match s {
        DeliveryStatus::Pending => Tone::Info,
        DeliveryStatus::Retrying => Tone::Warning,
        DeliveryStatus::Delivered => Tone::Success,
        DeliveryStatus::Failed | DeliveryStatus::Exhausted => Tone::Danger,
        DeliveryStatus::Skipped => Tone::Neutral,
    }
}

#[component]
fn DeliveryStatusBadge(status: DeliveryStatus) -> impl IntoView {
    view! { <StatusBadge tone=tone(status) label=t(status_key(status)) testid="delivery-status" status=status.as_str().to_string()/> }
}

fn channel_key(channel: &str) -> String {
    format!("console_delivery.channel.{channel}")
}

#[component]
pub fn DeliveryPage() -> impl IntoView {
    let Some(operator) = use_operator().filter(|v| v.can(DELIVERY_VIEW)) else {
        return view! { <PageHeader title="console.delivery" crumbs=vec![]/><ForbiddenState/> }.into_any();
    };
    let can_manage = operator.can(DELIVERY_MANAGE);
    let (channel, status, event, recipient, cursor) = (
        query_param("channel"),
        query_param("status"),
        query_param("event"),
        query_param("recipient"),
        query_param("cursor"),
    );
    let replay = ServerAction::<ReplayDeliveries>::new();
    let counters = Resource::new(move || replay.version().get(), |_| delivery_desk_counters());
    let list = Resource::new(
        move || (channel(), status(), event(), recipient(), cursor(), replay.version().get()),
        |(ch, s, e, r, c, _)| list_deliveries(ch, s, e, r, c),
    );
    let lang = use_lang();
    let filter_error = Signal::derive(move || match list.get() {
        Some(Err(e)) if e.field().is_some() => Some(error_text(lang.get(), &e)),
        _ => None,
    });
    let channels = Channel::ALL.into_iter().map(|c| (c.as_str(), channel_key(c.as_str()))).collect();
    let statuses = DeliveryStatus::ALL.into_iter().map(|s| (s.as_str(), status_key(s).to_string())).collect();
    view! {
        <PageHeader title="console.delivery" crumbs=vec![]>
            <a href="/console/delivery/suppressions" class="text-sm font-medium text-indigo-700 hover:underline" data-testid="suppressions-link">
                {t("console_delivery.suppressions")}
            </a>
        </PageHeader>
        <DetailResult resource=counters let:c>
            <CounterRow c/>
        </DetailResult>
        <div class="my-4">
            <FilterBar action="/console/delivery" label="console_delivery.filters" testid="delivery-filters" error=filter_error>
                <SelectFilter name="channel" label="console_delivery.filter.channel" all="console_delivery.filter.all" options=channels/>
                <SelectFilter name="status" label="console_delivery.filter.status" all="console_delivery.filter.all" options=statuses/>
                <TextFilter name="event" label="console_delivery.filter.event"/>
                <TextFilter name="recipient" label="console_delivery.filter.recipient" kind="search"/>
            </FilterBar>
        </div>
        <ListResult resource=list empty="console_delivery.empty" empty_hint="console_delivery.empty_hint"
            keep=&["channel", "status", "event", "recipient"]
            on_error=|e: AppError| e.field().is_some().then(|| ().into_any()) let:rows>
            <DeliveryTable rows/>
        </ListResult>
        {can_manage.then(|| view! { <ReplayMatching replay channel=channel() status=status() event=event() recipient=recipient()/> })}
    }
    .into_any()
}

#[component]
fn CounterRow(c: DeliveryCounters) -> impl IntoView {
    view! {
        <Counters columns=6 testid="delivery-counters">
            <Counter label="console_delivery.counter.pending" value=c.pending.to_string() testid="counter-pending-value"
                href="/console/delivery?status=pending"/>
            <Counter label="console_delivery.counter.retrying" value=c.retrying.to_string() testid="counter-retrying-value"
                href="/console/delivery?status=retrying"/>
            <Counter label="console_delivery.counter.failed_24h" value=c.failed_24h.to_string() testid="counter-failed-value"
                href="/console/delivery?status=failed"/>
            <Counter label="console_delivery.counter.exhausted_24h" value=c.exhausted_24h.to_string() testid="counter-exhausted-value"
                href="/console/delivery?status=exhausted"/>
            <Counter label="console_delivery.counter.delivered_24h" value=c.delivered_24h.to_string() testid="counter-delivered-value"
                href="/console/delivery?status=delivered"/>
            <Counter label="console_delivery.counter.suppressed" value=c.suppressed.to_string() testid="counter-suppressed-value"
                href="/console/delivery/suppressions"/>
        </Counters>
    }
}

#[component]
fn DeliveryTable(rows: Vec<DeliveryRow>) -> impl IntoView {
    let lang = use_lang();
    let columns = vec![
        "console_delivery.col.message",
        "console_delivery.col.channel",
        "console_delivery.col.recipient",
        "console_delivery.col.status",
        "console_delivery.col.attempts",
        "console_delivery.col.last_error",
    ];
    view! {
        <DataTable caption="console_delivery.caption" columns testid="delivery-table">
            {rows.into_iter().map(|r| {
                let channel = channel_key(&r.channel);
                view! {
                    <tr class="hover:bg-slate-50" data-testid="delivery-row" data-id=r.id.to_string()>
                        <td class=TD>
                            <a href=format!("/console/delivery/{}", r.id) class="font-medium text-indigo-700 hover:underline">{r.event_type.clone()}</a>
                            <span class="ml-1 text-xs text-slate-500">"#"{r.id}</span>
                            <div class="text-xs text-slate-500"><Time ms=r.created_at_ms/></div>
                        </td>
                        <td class=TD>{move || translate(lang.get(), &channel)}</td>
                        <td class=format!("{TD} max-w-xs truncate") title=r.recipient.clone()>{r.recipient.clone()}</td>
                        <td class=TD>
                            <DeliveryStatusBadge status=r.status/>
                            {r.next_attempt_at_ms.map(|ms| view! { <div class="mt-1 text-xs text-slate-500">{t("console_delivery.next_at")}" "<Time ms/></div> })}
                        </td>
                        <td class=format!("{TD} tabular-nums")>{r.attempts}</td>
                        <td class=format!("{TD} max-w-sm truncate text-xs text-slate-600") title=r.last_error.clone().unwrap_or_default()>
                            {r.last_error.clone().unwrap_or_default()}
                        </td>
                    </tr>
                }
            }).collect_view()}
        </DataTable>
    }
}

/// "Replay all that match": the current filter's failed and exhausted messages, at most 500.
#[component]
fn ReplayMatching(
    replay: ServerAction<ReplayDeliveries>,
    channel: Option<String>,
    status: Option<String>,
    event: Option<String>,
    recipient: Option<String>,
) -> impl IntoView {
    let result = move || replay.value().get();
    let lang = use_lang();
    let done = move || match result() {
        Some(Ok(n)) => Some(fill(&translate(lang.get(), "console_delivery.replay_many.done"), &[("n", n.to_string())])),
        _ => None,
    };
    let hidden = |name: &'static str, v: Option<String>| v.map(|v| view! { <input type="hidden" name=name value=v/> });
    view! {
        <section class=format!("{CARD} mt-6") aria-labelledby="replay-many-title">
            <h2 id="replay-many-title" class="text-base font-semibold">{t("console_delivery.replay_many.title")}</h2>
            <p class=HINT>{t("console_delivery.replay_many.effect")}</p>
            {move || done().map(|d| view! { <p role="status" class="mt-2 text-sm text-green-700" data-testid="replay-many-done">{d}</p> })}
            <ActionForm action=replay attr:class="mt-4 max-w-xl space-y-3" attr:data-testid="replay-many-form">
                {hidden("channel", channel)}
                {hidden("status", status)}
                {hidden("event", event)}
                {hidden("recipient", recipient)}
                <ProtectedFields form="replay-many" reason_error=field_error(result, "reason") password_error=field_error(result, "password") code_error=field_error(result, "code")/>
                <FormAlert error=form_error(result)/>
                <SubmitButton label="console_delivery.replay_many.submit" pending=replay.pending()/>
            </ActionForm>
        </section>
    }
}

#[component]
pub fn DeliveryDetailPage() -> impl IntoView {
    let crumbs = vec![("console.delivery", "/console/delivery")];
    let Some(operator) = use_operator().filter(|v| v.can(DELIVERY_VIEW)) else {
        return view! { <PageHeader title="console_delivery.detail" crumbs/><ForbiddenState/> }.into_any();
    };
    let can_manage = operator.can(DELIVERY_MANAGE);
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id")).and_then(|s| s.parse::<i64>().ok()).filter(|id| *id > 0);
    let replay = ServerAction::<ReplayDelivery>::new();
    let notice = RwSignal::new(None::<&'static str>);
    Effect::new(move |_| {
        if let Some(Ok(())) = replay.value().get() {
            notice.set(Some("console_delivery.replay.done"));
        }
    });
    let detail = Resource::new(
        move || (id(), replay.version().get()),
        |(id, _)| async move {
            match id {
                Some(id) => get_delivery(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <PageHeader title="console_delivery.detail" crumbs/>
        <div class="space-y-4">
            <DoneNotice notice/>
            <DetailResult resource=detail not_found="console_delivery.not_found" let:d>
                <DetailBody d can_manage replay/>
            </DetailResult>
        </div>
    }
    .into_any()
}

#[component]
fn DetailBody(d: DeliveryDetail, can_manage: bool, replay: ServerAction<ReplayDelivery>) -> impl IntoView {
    let lang = use_lang();
    let r = d.row.clone();
    let channel = channel_key(&r.channel);
    let replayable = can_manage && r.status.replayable();
    view! {
        <div class="grid gap-6 lg:grid-cols-3">
            <div class="space-y-6 lg:col-span-2">
                <Section id="message-title" title=t("console_delivery.message")>
                    <Fields>
                        <Field label="console_delivery.col.message"><span class="font-mono" data-testid="delivery-event">{r.event_type.clone()}</span>" #"{r.id}</Field>
                        <Field label="console_delivery.col.channel">{move || translate(lang.get(), &channel)}</Field>
                        <Field label="console_delivery.col.recipient"><span class="break-all">{r.recipient.clone()}</span></Field>
                        <Field label="console_delivery.col.status"><DeliveryStatusBadge status=r.status/></Field>
                        <Field label="console_delivery.created"><Time ms=r.created_at_ms/></Field>
                        {d.delivered_at_ms.map(|ms| view! { <Field label="console_delivery.delivered_at"><Time ms/></Field> })}
                        {r.next_attempt_at_ms.map(|ms| view! { <Field label="console_delivery.next_at"><Time ms/></Field> })}
                        <Field label="console_delivery.col.attempts"><span class="tabular-nums">{r.attempts}</span></Field>
                        {r.last_error.clone().map(|e| view! { <Field label="console_delivery.col.last_error"><span class="break-all text-red-700" data-testid="delivery-last-error">{e}</span></Field> })}
                    </Fields>
                </Section>
                <Section id="attempts-title" title=t("console_delivery.attempts")>
                    <Attempts rows=d.attempts.clone()/>
                </Section>
                <Section id="payload-title" title=t("console_delivery.payload")>
                    <pre class="mt-2 max-h-96 overflow-auto rounded-md bg-slate-50 p-3 text-xs" data-testid="delivery-payload">{pretty(&d.payload_json)}</pre>
                </Section>
            </div>
            <div class="space-y-6">
                {replayable.then(|| view! { <ReplayOne id=r.id replay/> })}
            </div>
        </div>
    }
}

fn pretty(json: &str) -> String {
    serde_json::from_str::<serde_json::Value>(json)
        .ok()
        .and_then(|v| serde_json::to_string_pretty(&v).ok())
        .unwrap_or_else(|| json.to_string())
}

#[component]
fn Attempts(rows: Vec<AttemptRow>) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="mt-1 text-sm text-slate-600" data-testid="no-attempts">{t("console_delivery.no_attempts")}</p> }.into_any();
    }
    let lang = use_lang();
    let columns = vec![
        "console_delivery.attempt.when",
        "console_delivery.attempt.outcome",
        "console_delivery.attempt.code",
        "console_delivery.attempt.latency",
        "console_delivery.attempt.answer",
    ];
    view! {
        <DataTable caption="console_delivery.attempts" columns testid="attempts-table">
            {rows.into_iter().map(|a| view! {
                <tr data-testid="attempt-row" data-outcome=a.outcome.clone()>
                    <td class=format!("{TD} whitespace-nowrap")>"#"{a.attempt}" · "<Time ms=a.at_ms/></td>
                    <td class=TD>{let o = a.outcome.clone(); move || label_or_raw(lang.get(), "console_delivery.outcome.", &o)}</td>
                    <td class=format!("{TD} tabular-nums")>{a.status_code.map(|c| c.to_string()).unwrap_or_else(|| "—".into())}</td>
                    <td class=format!("{TD} tabular-nums")>{a.latency_ms}" ms"</td>
                    <td class=format!("{TD} max-w-sm text-xs")>
                        <span class="break-all">{a.error.clone().unwrap_or_default()}</span>
                        {a.response_excerpt.clone().map(|x| view! { <pre class="mt-1 max-h-24 overflow-auto whitespace-pre-wrap text-slate-500">{x}</pre> })}
                    </td>
                </tr>
            }).collect_view()}
        </DataTable>
    }
    .into_any()
}

#[component]
fn ReplayOne(id: i64, replay: ServerAction<ReplayDelivery>) -> impl IntoView {
    let result = move || replay.value().get();
    view! {
        <section class="rounded-xl border border-amber-200 bg-white p-6" aria-labelledby="replay-title">
            <h2 id="replay-title" class="text-base font-semibold">{t("console_delivery.replay.title")}</h2>
            <p class=HINT>{t("console_delivery.replay.effect")}</p>
            <ActionForm action=replay attr:class="mt-4 space-y-3" attr:data-testid="replay-form">
                <input type="hidden" name="id" value=id.to_string()/>
                <ProtectedFields form="replay" reason_error=field_error(result, "reason") password_error=field_error(result, "password") code_error=field_error(result, "code")/>
                <FormAlert error=form_error(result)/>
                <SubmitButton label="console_delivery.replay.submit" pending=replay.pending()/>
            </ActionForm>
        </section>
    }
}

#[component]
pub fn SuppressionsPage() -> impl IntoView {
    let crumbs = vec![("console.delivery", "/console/delivery")];
    let Some(operator) = use_operator().filter(|v| v.can(DELIVERY_VIEW)) else {
        return view! { <PageHeader title="console_delivery.suppressions" crumbs/><ForbiddenState/> }.into_any();
    };
    let can_manage = operator.can(DELIVERY_MANAGE);
    // `?address=` picks the row to clear: one protected form on the page, for that address.
    let (cursor, chosen) = (query_param("cursor"), query_param("address"));
    let clear = ServerAction::<ClearSuppression>::new();
    let notice = RwSignal::new(None::<&'static str>);
    Effect::new(move |_| {
        if let Some(Ok(())) = clear.value().get() {
            notice.set(Some("console_delivery.clear.done"));
        }
    });
    let list = Resource::new(move || (cursor(), clear.version().get()), |(c, _)| list_suppressions(c));
    let cleared = move || matches!(clear.value().get(), Some(Ok(())));
    view! {
        <PageHeader title="console_delivery.suppressions" crumbs/>
        <p class=format!("{HINT} mb-4")>{t("console_delivery.suppressions_hint")}</p>
        <DoneNotice notice/>
        {move || (can_manage && !cleared()).then(|| chosen().map(|address| view! { <ClearForm address clear/> }))}
        <ListResult resource=list empty="console_delivery.suppressions_empty" let:rows>
            <SuppressionTable rows can_manage/>
        </ListResult>
    }
    .into_any()
}

#[component]
fn SuppressionTable(rows: Vec<SuppressionRow>, can_manage: bool) -> impl IntoView {
    let mut columns = vec!["console_delivery.col.address", "console_delivery.col.reason", "console_delivery.created"];
    columns.extend(can_manage.then_some("console_delivery.col.action"));
    view! {
        <DataTable caption="console_delivery.suppressions" columns testid="suppressions-table">
            {rows.into_iter().map(|s| {
                let href = format!("/console/delivery/suppressions?address={}", crate::components::query::urlencode(&s.address));
                view! {
                    <tr data-testid="suppression-row" data-address=s.address.clone()>
                        <td class=format!("{TD} font-mono")>{s.address.clone()}</td>
                        <td class=format!("{TD} text-xs")>{s.smtp_code.map(|c| format!("{c} · ")).unwrap_or_default()}{s.reason.clone()}</td>
                        <td class=TD><Time ms=s.created_at_ms/></td>
                        {can_manage.then(|| view! {
                            <td class=TD><a href=href class="text-sm font-medium text-indigo-700 hover:underline" data-testid="clear-link">{t("console_delivery.clear.title")}</a></td>
                        })}
                    </tr>
                }
            }).collect_view()}
        </DataTable>
    }
}

#[component]
fn ClearForm(address: String, clear: ServerAction<ClearSuppression>) -> impl IntoView {
    let result = move || clear.value().get();
    view! {
        <section class="mb-6 max-w-xl rounded-xl border border-amber-200 bg-white p-6" aria-labelledby="clear-title">
            <h2 id="clear-title" class="text-base font-semibold">{t("console_delivery.clear.title")}" "<span class="font-mono">{address.clone()}</span></h2>
            <p class=HINT>{t("console_delivery.clear.effect")}</p>
            <ActionForm action=clear attr:class="mt-4 space-y-3" attr:data-testid="clear-form">
                <input type="hidden" name="address" value=address/>
                <ProtectedFields form="clear" reason_error=field_error(result, "reason") password_error=field_error(result, "password") code_error=field_error(result, "code")/>
                <FormAlert error=form_error(result)/>
                <SubmitButton label="console_delivery.clear.submit" pending=clear.pending()/>
            </ActionForm>
        </section>
    }
}
