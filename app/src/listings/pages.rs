//! Seller center pages: `/seller` (status, checklist, listings table), `/seller/listings/new` and
//! `/seller/listings/:id` (the editor, the automated checks' evidence and the review history).

use super::api::{get_my_listing, list_my_listings, seller_home, SetListingAvailability};
use super::editor::ListingEditor;
use super::model::{
    pending_note_key, severity_key, status_key, version_key, EditState, ListingRow, MyListing, SellerSummary,
    VersionView,
};
use crate::components::list::empty_state;
use crate::components::query::urlencode;
use crate::components::states::error_text;
use crate::components::styles::{
    BUTTON_PRIMARY, BUTTON_SECONDARY, CARD, FIELD_ERROR, H2_LARGE, LINK, MUTED, ROW_LINK, TD,
};
use crate::components::{
    query_param, DataTable, DetailResult, DoneNotice, FilterBar, Pager, SelectFilter, StatusBadge, Time, Tone,
};
use crate::domain::checks::{Finding, Severity};
use crate::domain::listing::{ListingStatus, RawListing, VersionStatus};
use crate::domain::money::Money;
use crate::error::AppError;
use crate::i18n::{fill, t, title, translate, use_lang};
use crate::session::use_session;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

fn listing_tone(s: ListingStatus) -> Tone {
    match s {
        ListingStatus::Active => Tone::Success,
        ListingStatus::PendingReview => Tone::Warning,
        ListingStatus::Rejected | ListingStatus::Blocked => Tone::Danger,
        ListingStatus::SoldOut => Tone::Escalated,
        ListingStatus::Draft | ListingStatus::Inactive => Tone::Neutral,
    }
}

#[component]
fn ListingStatusBadge(status: ListingStatus) -> impl IntoView {
    view! {
        <StatusBadge tone=listing_tone(status) label=t(status_key(status)) testid="listing-status" status=status.as_str().to_string()/>
    }
}

/// "Not a seller" claims the Forbidden error of a seller-center resource.
fn not_seller(e: AppError) -> Option<AnyView> {
    (e == AppError::Forbidden).then(|| view! { <NotSeller/> }.into_any())
}

/// Sign-in first: anonymous visitors go to the sign-in page and come back.
fn signed_in(next: String, page: impl Fn() -> AnyView + Send + Sync + 'static) -> impl IntoView {
    let session = use_session();
    move || match session.viewer.get() {
        None => view! { <Redirect path=format!("/signin?next={next}")/> }.into_any(),
        Some(_) => page(),
    }
}

/// A signed-in user who is not a member of a seller.
#[component]
fn NotSeller() -> impl IntoView {
    view! {
        <section class=CARD data-testid="not-seller">
            <h2 class=H2_LARGE>{t("seller_center.not_seller_title")}</h2>
            <p class="mt-1 text-sm text-slate-600">{t("seller_center.not_seller_body")}</p>
            <a href="/sell" class=format!("mt-4 {BUTTON_PRIMARY}")>{t("seller_center.apply")}</a>
        </section>
    }
}

#[component]
pub fn SellerHomePage() -> impl IntoView {
    view! {
        <Title text=title("seller_center.title")/>
        <div class="mx-auto max-w-6xl space-y-6">
            {signed_in("/seller".into(), || view! { <SellerHome/> }.into_any())}
        </div>
    }
}

#[component]
fn SellerHome() -> impl IntoView {
    let summary = Resource::new(|| (), |_| seller_home());
    view! {
        <crate::sellers::impact::FreezeBanner/>
        <DetailResult resource=summary on_error=not_seller let:s>
            {
                let can_create = s.status == "active";
                view! { <Overview s/><Listings can_create/> }
            }
        </DetailResult>
    }
}

#[component]
fn Overview(s: SellerSummary) -> impl IntoView {
    let active = s.status == "active";
    let hint = match s.status.as_str() {
        "active" => "seller_center.seller_hint.active",
        "suspended" => "seller_center.seller_hint.suspended",
        _ => "seller_center.seller_hint.pending",
    };
    let seller_status = format!("seller_center.seller.{}", s.status);
    let role_key = if s.role == "owner" { "seller_center.role.owner" } else { "seller_center.role.staff" };
    let lang = use_lang();
    let steps: Vec<(&'static str, Option<bool>)> = vec![
        ("seller_center.check.profile", Some(active || s.status == "suspended")),
        ("seller_center.check.first_listing", Some(s.listings > 0)),
        ("seller_center.check.first_live", Some(s.live_listings > 0)),
        ("seller_center.check.payout", Some(s.has_payout_account)),
    ];
    view! {
        <header class="flex flex-wrap items-end justify-between gap-4">
            <div>
                <h1 class="text-2xl font-semibold tracking-tight">{t("seller_center.heading")}</h1>
                <p class="mt-1 text-slate-600" data-testid="seller-name">{s.organisation_name.clone()}</p>
            </div>
            <div class="flex flex-wrap gap-2">
                <a href="/seller/orders" data-testid="seller-orders-link" class=BUTTON_SECONDARY>{t("orders.nav")}</a>
                <a href="/seller/refunds" data-testid="seller-refunds-link" class=BUTTON_SECONDARY>{t("refunds.nav")}</a>
                <a href="/seller/payouts" data-testid="seller-payouts-link" class=BUTTON_SECONDARY>{t("payouts.nav")}</a>
                <a href="/seller/team" class=BUTTON_SECONDARY>{t("seller_center.team")}</a>
                <a href="/seller/webhooks" data-testid="seller-webhooks-link" class=BUTTON_SECONDARY>{t("webhooks.nav")}</a>
                {active.then(|| view! { <a href="/seller/listings/new" class=BUTTON_PRIMARY>{t("seller_center.new_listing")}</a> })}
            </div>
        </header>
        <div class="grid gap-6 md:grid-cols-3">
            <section class=CARD aria-labelledby="seller-status-title">
                <h2 id="seller-status-title" class="text-sm font-medium text-slate-500">{t("seller_center.seller_status")}</h2>
                <p class="mt-1 text-lg font-semibold" data-testid="seller-status" data-status=s.status.clone()>
                    {move || translate(lang.get(), &seller_status)}
                </p>
                <p class="mt-2 text-sm text-slate-600">{t(hint)}</p>
                <p class="mt-3 text-sm text-slate-500">{t("seller_center.your_role")}": "<span class="font-medium text-slate-700">{t(role_key)}</span></p>
            </section>
            <section class=format!("{CARD} md:col-span-2") aria-labelledby="next-steps-title">
                <h2 id="next-steps-title" class="font-semibold">{t("seller_center.next_steps")}</h2>
                <ul class="mt-3 divide-y divide-slate-100" data-testid="checklist">
                    {steps.into_iter().map(|(key, done)| {
                        let (mark, colour, state) = match done {
                            Some(true) => ("✓", "bg-green-100 text-green-700", "seller_center.check.done"),
                            Some(false) => ("○", "bg-slate-100 text-slate-500", "seller_center.check.todo"),
                            None => ("–", "bg-slate-50 text-slate-400", "seller_center.check.later"),
                        };
                        view! {
                            <li class="flex items-center justify-between gap-3 py-2 text-sm" data-testid="checklist-item">
                                <span class="flex items-center gap-3">
                                    <span aria-hidden="true" class=format!("inline-flex h-6 w-6 items-center justify-center rounded-full text-xs font-bold {colour}")>{mark}</span>
                                    <span class=if done.is_none() { "text-slate-500" } else { "" }>{t(key)}</span>
                                </span>
                                <span class="text-xs text-slate-500">{t(state)}</span>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </section>
        </div>
    }
}

#[component]
fn Listings(can_create: bool) -> impl IntoView {
    let (status, cursor) = (query_param("status"), query_param("cursor"));
    let list = Resource::new(move || (status(), cursor()), |(s, c)| list_my_listings(s, c));
    let statuses = ListingStatus::ALL.into_iter().map(|s| (s.as_str(), status_key(s).to_string())).collect();
    view! {
        <section aria-labelledby="listings-title" class="space-y-3">
            <div class="flex flex-wrap items-end justify-between gap-3">
                <h2 id="listings-title" class="text-lg font-semibold">{t("seller_center.listings")}</h2>
                <FilterBar action="/seller" label="seller_center.listings" testid="listing-filters">
                    <SelectFilter name="status" label="seller_center.filter.status" all="seller_center.filter.all" options=statuses/>
                </FilterBar>
            </div>
            // The empty state depends on the filter and on whether the seller may create: a
            // `DetailResult` over the page rather than `ListResult`'s fixed empty state.
            <DetailResult resource=list let:page>
                {match (page.rows.is_empty(), status().is_some()) {
                    (true, true) => empty_state("seller_center.empty_filtered", None),
                    (true, false) => view! {
                        {empty_state("seller_center.empty", None)}
                        {can_create.then(|| view! {
                            <p class="mt-4 text-center"><a href="/seller/listings/new" class=BUTTON_PRIMARY>{t("seller_center.create_first")}</a></p>
                        })}
                    }.into_any(),
                    (false, _) => {
                        let base = status().map(|s| format!("status={}", urlencode(&s))).unwrap_or_default();
                        view! {
                            <ListingsTable rows=page.rows/>
                            <Pager next=page.next base_query=base is_first=cursor().is_none()/>
                        }.into_any()
                    }
                }}
            </DetailResult>
        </section>
    }
}

#[component]
fn ListingsTable(rows: Vec<ListingRow>) -> impl IntoView {
    let columns = vec![
        "seller_center.col.title",
        "seller_center.col.status",
        "seller_center.col.price",
        "seller_center.col.stock",
        "seller_center.col.updated",
    ];
    view! {
        <DataTable caption="seller_center.listings" columns testid="listings-table">
                    {rows.into_iter().map(|r| {
                        let note = pending_note_key(&r);
                        view! {
                            <tr class="hover:bg-slate-50" data-testid="listing-row">
                                <td class=TD>
                                    <a href=format!("/seller/listings/{}", r.id) class=ROW_LINK>{r.title.clone()}</a>
                                </td>
                                <td class=TD>
                                    <div class="flex flex-wrap items-center gap-1">
                                        <ListingStatusBadge status=r.status/>
                                        {note.map(|k| view! { <span class="text-xs text-amber-700" data-testid="pending-note">{t(k)}</span> })}
                                    </div>
                                </td>
                                <td class=format!("{TD} text-right tabular-nums")>{Money::new(r.price_minor, r.currency).display()}</td>
                                <td class=format!("{TD} text-right tabular-nums")>{r.stock_total}</td>
                                <td class=format!("{TD} whitespace-nowrap text-slate-500")><Time ms=r.updated_at_ms/></td>
                            </tr>
                        }
                    }).collect_view()}
        </DataTable>
    }
}

fn done_key(submitted: bool) -> &'static str {
    if submitted {
        "seller_center.submitted"
    } else {
        "seller_center.saved"
    }
}

fn go_to_listing() -> Callback<(i64, bool)> {
    let navigate = use_navigate();
    Callback::new(move |(id, submitted): (i64, bool)| {
        let done = if submitted { "submitted" } else { "saved" };
        navigate(&format!("/seller/listings/{id}?done={done}"), Default::default());
    })
}

#[component]
pub fn NewListingPage() -> impl IntoView {
    view! {
        <Title text=title("seller_center.new_title")/>
        <div class="mx-auto max-w-4xl space-y-6">
            <a href="/seller" class=format!("text-sm {LINK}")>"← "{t("seller_center.back")}</a>
            <h1 class="text-2xl font-semibold tracking-tight">{t("seller_center.new_title")}</h1>
            {signed_in("/seller/listings/new".into(), || view! { <NewListing/> }.into_any())}
        </div>
    }
}

#[component]
fn NewListing() -> impl IntoView {
    let summary = Resource::new(|| (), |_| seller_home());
    let on_done = go_to_listing();
    view! {
        <DetailResult resource=summary on_error=not_seller let:s>
            {if s.status != "active" {
                view! {
                    <div role="alert" class="rounded-lg border border-amber-200 bg-amber-50 p-6 text-sm text-amber-900">{t("seller_center.seller_not_active")}</div>
                }.into_any()
            } else {
                view! { <ListingEditor id=None initial=RawListing::default() on_done/> }.into_any()
            }}
        </DetailResult>
    }
}

#[component]
pub fn ListingEditPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id")).and_then(|s| s.parse::<i64>().ok()).filter(|id| *id > 0);
    let next = format!("/seller/listings/{}", id().unwrap_or(0));
    view! {
        <Title text=title("seller_center.edit_title")/>
        <div class="mx-auto max-w-5xl space-y-6">
            <a href="/seller" class=format!("text-sm {LINK}")>"← "{t("seller_center.back")}</a>
            {signed_in(next, move || view! { <ListingEdit id/> }.into_any())}
        </div>
    }
}

#[component]
fn ListingEdit(id: impl Fn() -> Option<i64> + Copy + Send + Sync + 'static) -> impl IntoView {
    let refresh = RwSignal::new(0u32);
    let initial = match use_query_map().with_untracked(|q| q.get("done")).as_deref() {
        Some("saved") => Some(done_key(false)),
        Some("submitted") => Some(done_key(true)),
        _ => None,
    };
    let notice = RwSignal::new(initial);
    let availability = ServerAction::<SetListingAvailability>::new();
    Effect::new(move |_| {
        if let Some(Ok(())) = availability.value().get() {
            refresh.update(|n| *n += 1);
        }
    });
    // Saving again on this page reloads the listing in place.
    let on_done = Callback::new(move |(_, submitted): (i64, bool)| {
        notice.set(Some(done_key(submitted)));
        refresh.update(|n| *n += 1);
    });
    let listing = Resource::new(
        move || (id(), refresh.get()),
        |(id, _)| async move {
            match id {
                Some(id) => get_my_listing(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <DoneNotice notice/>
        <DetailResult resource=listing not_found="error.not_found" on_error=not_seller let:l>
            <ListingView l availability on_done/>
        </DetailResult>
    }
}

#[component]
fn ListingView(
    l: MyListing,
    availability: ServerAction<SetListingAvailability>,
    on_done: Callback<(i64, bool)>,
) -> impl IntoView {
    let lang = use_lang();
    let state = l.edit_state();
    let pending = l.version(l.pending_version_id).cloned();
    let base = l.editable_base().map(|v| v.raw.clone()).unwrap_or_default();
    let has_live = l.live_version_id.is_some();
    let availability_error = move || match availability.value().get() {
        Some(Err(e)) => Some(error_text(lang.get(), &e)),
        _ => None,
    };
    let id = l.id;
    let toggle = match l.status {
        ListingStatus::Active => Some((false, "seller_center.take_off_sale")),
        ListingStatus::Inactive => Some((true, "seller_center.put_on_sale")),
        _ => None,
    };
    // The evidence to show: the version being reviewed or fixed, else the latest submitted one.
    let evidence = pending.clone().filter(|v| v.submitted_at_ms.is_some());
    view! {
        <header class="flex flex-wrap items-start justify-between gap-4">
            <div>
                <h1 class="text-2xl font-semibold tracking-tight" data-testid="listing-title">{l.title.clone()}</h1>
                <div class="mt-2 flex flex-wrap items-center gap-2 text-sm">
                    <ListingStatusBadge status=l.status/>
                    {pending.as_ref().filter(|_| has_live).map(|v| view! {
                        <span class="text-xs text-amber-700" data-testid="pending-note">{t(version_key(v.status))}</span>
                    })}
                    <span class="text-slate-500">{Money::new(l.price_minor, l.currency).display()}" · "{t("seller_center.col.stock")}" "{l.stock_total}</span>
                </div>
            </div>
            {toggle.map(|(active, label)| view! {
                <ActionForm action=availability attr:class="flex flex-col items-end gap-1">
                    <input type="hidden" name="id" value=id/>
                    <input type="hidden" name="active" value=active.to_string()/>
                    <button type="submit" class=BUTTON_SECONDARY>{t(label)}</button>
                    {move || availability_error().map(|e| view! { <p role="alert" class=FIELD_ERROR>{e}</p> })}
                </ActionForm>
            })}
        </header>
        {(l.status == ListingStatus::Blocked).then(|| view! {
            <section role="alert" class="rounded-xl border border-red-200 bg-red-50 p-6" data-testid="blocked">
                <h2 class="font-semibold text-red-900">{t("seller_center.blocked_title")}</h2>
                <p class="mt-1 text-sm text-red-800">{t("seller_center.blocked_hint")}</p>
                {(!l.status_reason.is_empty()).then(|| view! {
                    <p class="mt-3 text-sm"><span class="font-medium">{t("seller_center.reason")}": "</span>
                        <span class="whitespace-pre-wrap" data-testid="status-reason">{l.status_reason.clone()}</span></p>
                })}
                <a href=format!("/seller/listings/{id}/appeal") class=format!("mt-4 {BUTTON_PRIMARY}")>{t("seller_center.appeal")}</a>
            </section>
        })}
        {match state {
            EditState::InReview => Some(view! {
                <p role="status" class="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900" data-testid="in-review">
                    {t("seller_center.in_review_hint")}{has_live.then(|| view! { " " {t("seller_center.live_hint")} })}
                </p>
            }.into_any()),
            EditState::Editable { .. } if pending.as_ref().is_some_and(|v| v.status == VersionStatus::Rejected) => {
                let reason = pending.as_ref().map(|v| v.decision_reason.clone()).unwrap_or_default();
                Some(view! {
                    <section role="alert" class="rounded-xl border border-red-200 bg-red-50 p-4 text-sm text-red-900" data-testid="rejected">
                        <p class="font-medium">{t("seller_center.rejected_hint")}</p>
                        {(!reason.is_empty()).then(|| view! {
                            <p class="mt-2"><span class="font-medium">{t("seller_center.reason")}": "</span>
                                <span class="whitespace-pre-wrap" data-testid="decision-reason">{reason}</span></p>
                        })}
                    </section>
                }.into_any())
            }
            _ => None,
        }}
        {evidence.map(|v| view! { <Evidence v/> })}
        {matches!(state, EditState::Editable { .. }).then(|| view! {
            {has_live.then(|| view! { <p class="text-sm text-slate-600">{t("seller_center.live_hint")}</p> })}
            <ListingEditor id=Some(id) initial=base on_done/>
        })}
        <History versions=l.versions.clone()/>
    }
}

fn finding_text(lang: crate::i18n::Lang, key: &str, detail: &str) -> String {
    fill(&translate(lang, key), &[("detail", detail.to_string())])
}

#[component]
fn Evidence(v: VersionView) -> impl IntoView {
    let risk_key = match v.risk.as_str() {
        "high" => "seller_center.risk.high",
        "medium" => "seller_center.risk.medium",
        _ => "seller_center.risk.low",
    };
    view! {
        <section class=CARD aria-labelledby="evidence-title" data-testid="evidence">
            <div class="flex items-center justify-between gap-3">
                <h2 id="evidence-title" class="font-semibold">{t("seller_center.checks")}</h2>
                <span class="text-sm text-slate-600">{t("seller_center.risk")}": "<span class="font-medium" data-testid="risk">{t(risk_key)}</span></span>
            </div>
            <Findings findings=v.findings.clone()/>
        </section>
    }
}

#[component]
fn Findings(findings: Vec<Finding>) -> impl IntoView {
    let lang = use_lang();
    if findings.is_empty() {
        return view! { <p class="mt-2 text-sm text-slate-600">{t("seller_center.checks_none")}</p> }.into_any();
    }
    view! {
        <ul class="mt-3 space-y-2">
            {findings.into_iter().map(|f| {
                let colour = match f.severity {
                    Severity::Blocking => "border-red-200 bg-red-50",
                    Severity::Warning => "border-amber-200 bg-amber-50",
                    Severity::Info => "border-slate-200 bg-slate-50",
                };
                let (message, next, detail) = (f.message.clone(), f.next_action.clone(), f.detail.clone());
                let detail2 = detail.clone();
                view! {
                    <li class=format!("rounded-lg border p-3 text-sm {colour}") data-testid="finding" data-check=f.check.clone() data-severity=f.severity.as_str()>
                        <p><span class="font-semibold">{t(severity_key(f.severity))}": "</span>{move || finding_text(lang.get(), &message, &detail)}</p>
                        <p class="mt-1 text-slate-700"><span class="font-medium">{t("seller_center.next_action")}": "</span>{move || finding_text(lang.get(), &next, &detail2)}</p>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
fn History(versions: Vec<VersionView>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <section class=CARD aria-labelledby="history-title">
            <h2 id="history-title" class="font-semibold">{t("seller_center.history")}</h2>
            {versions.is_empty().then(|| view! { <p class=format!("mt-2 {MUTED}")>{t("seller_center.history_empty")}</p> })}
            <ol class="mt-3 divide-y divide-slate-100" data-testid="history">
                {versions.into_iter().map(|v| {
                    let n = v.number;
                    view! {
                        <li class="py-3 text-sm" data-testid="history-item" data-status=v.status.as_str()>
                            <div class="flex flex-wrap items-center gap-x-3 gap-y-1">
                                <span class="font-medium">{move || fill(&translate(lang.get(), "seller_center.version_n"), &[("n", n.to_string())])}</span>
                                <span class="rounded bg-slate-100 px-1.5 py-0.5 text-xs">{t(version_key(v.status))}</span>
                                {v.submitted_at_ms.map(|ms| view! { <span class="text-slate-500">{t("seller_center.submitted_at")}" "<Time ms/></span> })}
                                {v.decided_at_ms.map(|ms| view! { <span class="text-slate-500">{t("seller_center.decided_at")}" "<Time ms/></span> })}
                                {v.submitted_at_ms.is_none().then(|| view! { <span class="text-slate-500">{t("seller_center.updated_at")}" "<Time ms=v.updated_at_ms/></span> })}
                            </div>
                            {(!v.decision_reason.is_empty()).then(|| view! {
                                <p class="mt-1"><span class="text-slate-500">{t("seller_center.reason")}": "</span>
                                    <span class="whitespace-pre-wrap">{v.decision_reason.clone()}</span></p>
                            })}
                            {v.submitted_at_ms.is_some().then(|| view! {
                                <details class="mt-1">
                                    <summary class="cursor-pointer text-xs text-indigo-700">{t("seller_center.checks")}</summary>
                                    <Findings findings=v.findings.clone()/>
                                </details>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ol>
        </section>
    }
}
