//! `/console/audit`: filters (a GET form, so they live in the URL and work without WASM), the entries
//! newest first with keyset paging, the chain check and the CSV export. `/console/audit/:id`: one
//! entry whole, its before/after diff and its hashes.

use crate::audit::api::{get_audit_entry, list_filtered, AuditDetail, AuditRow, ChainCheck, VerifyAuditChain};
use crate::audit::filter::{AuditFilter, RawFilter, MAX_FILTER_CHARS};
use crate::audit::EXPORT_PATH;
use crate::components::states::error_text;
use crate::components::styles::{BUTTON_SECONDARY, TD};
use crate::components::{
    DataTable, DetailResult, Field, Fields, FilterBar, ForbiddenState, InlineTable, ListResult, NoneYet, Section,
    StatusBadge, SubmitButton, TextField, Time, Tone,
};
use crate::domain::audit::{ChainBreak, FieldChange};
use crate::domain::permissions::{AUDIT_EXPORT, AUDIT_VERIFY, AUDIT_VIEW};
use crate::error::AppError;
use crate::frame::console::shell::{use_operator, PageHeader};
use crate::i18n::{fill, t, translate, use_lang, Lang};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

/// A message with `{name}` placeholders, translated and filled, re-rendered when the language changes.
fn filled(
    lang: RwSignal<Lang>,
    key: &'static str,
    args: Vec<(&'static str, String)>,
) -> impl Fn() -> String + Send + Sync + 'static {
    move || fill(&translate(lang.get(), key), &args)
}

#[component]
pub fn AuditPage() -> impl IntoView {
    let operator = use_operator();
    let may = |p| operator.as_ref().is_some_and(|v| v.can(p));
    if !may(AUDIT_VIEW) {
        return view! { <PageHeader title="console.audit" crumbs=vec![]/><ForbiddenState/> }.into_any();
    }
    let (can_verify, can_export) = (may(AUDIT_VERIFY), may(AUDIT_EXPORT));
    let query = use_query_map();
    let raw = Memo::new(move |_| query.with(|q| RawFilter::from_lookup(|k| q.get(k))));
    let cursor = Memo::new(move |_| query.with(|q| q.get("cursor")));
    let list = Resource::new(move || (raw.get(), cursor.get()), |(f, c)| list_filtered(f, c));
    let verify = ServerAction::<VerifyAuditChain>::new();
    view! {
        <PageHeader title="console.audit" crumbs=vec![]>
            {can_export.then(|| view! { <ExportButton raw/> })}
            {can_verify.then(|| view! {
                <ActionForm action=verify attr:data-testid="verify-form">
                    <SubmitButton label="audit.verify" pending=verify.pending()/>
                </ActionForm>
            })}
        </PageHeader>
        <ChainResult verify/>
        <div class="mb-6"><FilterForm raw/></div>
        // The filter form names a refused field already.
        <ListResult resource=list empty="audit.empty" empty_hint="audit.empty_hint"
            keep=&["actor", "action", "target_type", "target_id", "from", "to"]
            on_error=|e: AppError| matches!(e, AppError::Invalid { .. }).then(|| ().into_any()) let:rows>
            <AuditTable rows/>
        </ListResult>
    }
    .into_any()
}

/// The filters as a GET form. Errors come from the same parser the server uses, so they show at once
/// and identically on server and client.
#[component]
fn FilterForm(raw: Memo<RawFilter>) -> impl IntoView {
    let lang = use_lang();
    // Re-rendered when the URL changes (a paging or filter link), so the inputs show the filters in effect.
    let fields = move || {
        let f = raw.get();
        let error = AuditFilter::parse(&f).err();
        let err = move |field: &'static str| {
            let e = error.clone().filter(|e| e.field() == Some(field));
            Signal::derive(move || e.as_ref().map(|e| error_text(lang.get(), e)))
        };
        let v = |o: &Option<String>| o.clone().unwrap_or_default();
        view! {
            <TextField label="audit.actor" name="actor" value=v(&f.actor) required=false maxlength=MAX_FILTER_CHARS hint="audit.actor_hint" error=err("actor")/>
            <TextField label="audit.action" name="action" value=v(&f.action) required=false maxlength=MAX_FILTER_CHARS hint="audit.action_hint" error=err("action")/>
            <TextField label="audit.target_type" name="target_type" value=v(&f.target_type) required=false maxlength=MAX_FILTER_CHARS error=err("target_type")/>
            <TextField label="audit.target_id" name="target_id" value=v(&f.target_id) required=false maxlength=MAX_FILTER_CHARS error=err("target_id")/>
            <TextField label="audit.from" name="from" kind="date" value=v(&f.from) required=false error=err("from")/>
            <TextField label="audit.to" name="to" kind="date" value=v(&f.to) required=false error=err("to")/>
        }
    };
    view! {
        <FilterBar action="/console/audit" label="audit.filters" testid="audit-filters">
            {fields}
            <a href="/console/audit" class="px-2 py-2 text-sm font-medium text-slate-600 hover:underline">{t("action.clear")}</a>
        </FilterBar>
    }
}

/// Posts the filters in effect to the export endpoint; the browser saves the answer as a file.
#[component]
fn ExportButton(raw: Memo<RawFilter>) -> impl IntoView {
    let invalid = Memo::new(move |_| AuditFilter::parse(&raw.get()).is_err());
    view! {
        <form method="post" action=EXPORT_PATH data-testid="export-form">
            {move || raw.get().pairs().into_iter().map(|(name, value)| view! { <input type="hidden" name=name value=value/> }).collect_view()}
            <button type="submit" class=BUTTON_SECONDARY disabled=move || invalid.get() aria-describedby="audit-export-hint">
                {t("audit.export")}
            </button>
            <span id="audit-export-hint" class="sr-only">{t("audit.export_hint")}</span>
        </form>
    }
}

/// The chain check's answer, under the header: green when intact, red with the broken entry's link.
#[component]
fn ChainResult(verify: ServerAction<VerifyAuditChain>) -> impl IntoView {
    let lang = use_lang();
    let box_class = |ok: bool| {
        let colour =
            if ok { "border-green-200 bg-green-50 text-green-800" } else { "border-red-200 bg-red-50 text-red-800" };
        format!("mb-6 rounded-lg border px-4 py-3 text-sm {colour}")
    };
    view! {
        <div role="status" aria-live="polite" data-testid="chain-status">
            {move || verify.value().get().map(|r| match r {
                Ok(ChainCheck::Intact { entries }) => view! {
                    <p class=box_class(true) data-state="intact">{filled(lang, "audit.chain_intact", vec![("n", entries.to_string())])}</p>
                }.into_any(),
                Ok(ChainCheck::Broken { at, entries_checked }) => {
                    let key = match at {
                        ChainBreak::Altered { .. } => "audit.chain_altered",
                        ChainBreak::Unlinked { .. } => "audit.chain_unlinked",
                    };
                    let id = at.id();
                    view! {
                        <div class=box_class(false) data-state="broken" data-broken-id=id.to_string()>
                            <p class="font-medium">{filled(lang, key, vec![("id", id.to_string()), ("n", entries_checked.to_string())])}</p>
                            <a class="mt-1 inline-block font-medium underline" href=format!("/console/audit/{id}")>{t("audit.open_entry")}</a>
                        </div>
                    }.into_any()
                }
                Ok(ChainCheck::Truncated { entries }) => view! {
                    <p class=box_class(false) data-state="truncated">{filled(lang, "audit.chain_truncated", vec![("n", entries.to_string())])}</p>
                }.into_any(),
                Err(e) => view! { <p class=box_class(false)>{move || error_text(lang.get(), &e)}</p> }.into_any(),
            })}
        </div>
    }
}

#[component]
fn AuditTable(rows: Vec<AuditRow>) -> impl IntoView {
    let columns = vec![
        "audit.time",
        "audit.actor",
        "audit.action",
        "audit.target",
        "audit.result",
        "audit.reason",
        "audit.details",
    ];
    view! {
        <DataTable caption="audit.caption" columns testid="audit-table">
            {rows.into_iter().map(|row| view! { <AuditTableRow row/> }).collect_view()}
        </DataTable>
    }
}

#[component]
fn AuditTableRow(row: AuditRow) -> impl IntoView {
    let lang = use_lang();
    let id = row.id;
    view! {
        <tr class="align-top hover:bg-slate-50" data-testid=format!("audit-row-{id}")>
            <td class=format!("{TD} whitespace-nowrap text-slate-600")><Time ms=row.at_ms/></td>
            <td class=TD><Actor id=row.actor_id email=row.actor_email roles=row.actor_roles/></td>
            <td class=TD><code class="font-mono text-xs">{row.action}</code></td>
            <td class=TD><Target kind=row.target_type id=row.target_id/></td>
            <td class=TD><StatusBadge tone=tone(&row.result) label=row.result.clone() status=row.result/></td>
            <td class=format!("{TD} max-w-xs text-slate-600")><span class="line-clamp-2 break-words">{row.reason}</span></td>
            <td class=format!("{TD} whitespace-nowrap text-right")>
                <a href=format!("/console/audit/{id}") class="font-medium text-indigo-700 hover:underline"
                    aria-label=filled(lang, "audit.view_entry", vec![("id", id.to_string())])>
                    {t("audit.view")}
                </a>
            </td>
        </tr>
    }
}

/// The actor's email (or id, when the account is gone, or "System") and the roles recorded with it.
#[component]
fn Actor(id: Option<i64>, email: Option<String>, roles: String) -> impl IntoView {
    let lang = use_lang();
    let name = move || match (&email, id) {
        (Some(email), _) => email.clone(),
        (None, Some(id)) => fill(&translate(lang.get(), "audit.user_id"), &[("id", id.to_string())]),
        (None, None) => translate(lang.get(), "audit.system"),
    };
    view! {
        <span class="block break-all">{name}</span>
        <span class="block text-xs text-slate-500">{roles}</span>
    }
}

#[component]
fn Target(kind: String, id: String) -> impl IntoView {
    if kind.is_empty() && id.is_empty() {
        return view! { <span class="text-slate-400">"—"</span> }.into_any();
    }
    view! { <span class="text-slate-500">{kind}</span>" "<span class="font-mono text-xs">{id}</span> }.into_any()
}

/// "ok", or what else the action came to.
fn tone(result: &str) -> Tone {
    if result == "ok" {
        Tone::Success
    } else {
        Tone::Warning
    }
}

#[component]
pub fn AuditDetailPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id")));
    let entry = Resource::new(
        move || id.get(),
        |id| async move {
            match id.and_then(|s| s.parse::<i64>().ok()) {
                Some(id) => get_audit_entry(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <PageHeader title="audit.entry" crumbs=vec![("console.audit", "/console/audit")]/>
        <DetailResult resource=entry let:detail>
            <EntryView detail/>
        </DetailResult>
    }
}

#[component]
fn EntryView(detail: AuditDetail) -> impl IntoView {
    let lang = use_lang();
    let AuditDetail {
        row,
        seq,
        ip,
        user_agent,
        before_json,
        after_json,
        changes,
        prev_hash,
        hash,
        hash_matches,
        linked,
    } = detail;
    let dash = |s: String| if s.is_empty() { "—".to_string() } else { s };
    let title = filled(lang, "audit.entry_number", vec![("id", row.id.to_string()), ("seq", seq.to_string())]);
    view! {
        <div class="space-y-6" data-testid="audit-entry">
            <Section id="entry-summary" title=title>
                <Fields>
                    <Field label="audit.time"><Time ms=row.at_ms/></Field>
                    <Field label="audit.actor"><Actor id=row.actor_id email=row.actor_email roles=row.actor_roles/></Field>
                    <Field label="audit.action"><code class="font-mono text-xs">{row.action}</code></Field>
                    <Field label="audit.target"><Target kind=row.target_type id=row.target_id/></Field>
                    <Field label="audit.result"><StatusBadge tone=tone(&row.result) label=row.result.clone() status=row.result/></Field>
                    <Field label="audit.reason"><span class="whitespace-pre-wrap break-words" data-testid="entry-reason">{dash(row.reason)}</span></Field>
                    <Field label="audit.ip"><span class="font-mono text-xs">{dash(ip)}</span></Field>
                    <Field label="audit.user_agent"><span class="break-all text-xs">{dash(user_agent)}</span></Field>
                </Fields>
            </Section>
            <Section id="entry-changes" title=t("audit.changes")>
                <ChangesTable changes/>
                <details class="mt-4 text-sm">
                    <summary class="cursor-pointer text-slate-600">{t("audit.raw_json")}</summary>
                    <h3 class="mt-3 text-xs font-semibold uppercase text-slate-500">{t("audit.before")}</h3>
                    <pre class="mt-1 overflow-x-auto rounded bg-slate-50 p-3 text-xs">{before_json}</pre>
                    <h3 class="mt-3 text-xs font-semibold uppercase text-slate-500">{t("audit.after")}</h3>
                    <pre class="mt-1 overflow-x-auto rounded bg-slate-50 p-3 text-xs">{after_json}</pre>
                </details>
            </Section>
            <Section id="entry-integrity" title=t("audit.integrity") testid="entry-integrity">
                <ul class="my-4 space-y-1 text-sm">
                    <Check ok=hash_matches good="audit.hash_ok" bad="audit.hash_bad" testid="hash-check"/>
                    <Check ok=linked good="audit.link_ok" bad="audit.link_bad" testid="link-check"/>
                </ul>
                <Fields>
                    <Field label="audit.prev_hash"><code class="break-all font-mono text-xs">{prev_hash}</code></Field>
                    <Field label="audit.hash"><code class="break-all font-mono text-xs">{hash}</code></Field>
                </Fields>
            </Section>
        </div>
    }
}

#[component]
fn Check(ok: bool, good: &'static str, bad: &'static str, testid: &'static str) -> impl IntoView {
    let (mark, colour, key) = if ok { ("✓", "text-green-700", good) } else { ("✗", "text-red-700", bad) };
    view! {
        <li class=format!("flex gap-2 {colour}") data-testid=testid data-ok=ok.to_string()>
            <span aria-hidden="true">{mark}</span><span>{t(key)}</span>
        </li>
    }
}

/// Field, before, after: removed values on red, added values on green. `<del>`/`<ins>` carry the same
/// meaning for assistive technology as the colours do for the eye.
#[component]
fn ChangesTable(changes: Vec<FieldChange>) -> impl IntoView {
    if changes.is_empty() {
        return view! { <NoneYet key="audit.no_changes" testid="no-changes"/> }.into_any();
    }
    let absent = || view! { <span class="text-slate-400">{t("audit.absent")}</span> };
    view! {
        <InlineTable caption="audit.changes_caption" columns=vec!["audit.field", "audit.before", "audit.after"] testid="audit-diff">
                    {changes.into_iter().map(|c| {
                        let field = if c.field.is_empty() { None } else { Some(c.field) };
                        view! {
                            <tr class="align-top" data-testid="diff-row">
                                <th scope="row" class="py-2 pr-4 text-left font-mono text-xs font-medium">
                                    {match field { Some(f) => f.into_any(), None => t("audit.whole_value").into_any() }}
                                </th>
                                <td class="py-2 pr-4">
                                    {match c.before {
                                        Some(v) => view! { <del class="rounded bg-red-50 px-1 font-mono text-xs text-red-800 no-underline">{v}</del> }.into_any(),
                                        None => absent().into_any(),
                                    }}
                                </td>
                                <td class="py-2">
                                    {match c.after {
                                        Some(v) => view! { <ins class="rounded bg-green-50 px-1 font-mono text-xs text-green-800 no-underline">{v}</ins> }.into_any(),
                                        None => absent().into_any(),
                                    }}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
        </InlineTable>
    }
    .into_any()
}
