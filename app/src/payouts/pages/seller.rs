//! The seller's payout pages: `/seller/payouts` (balances, what stops a payout now, the request
//! form for the owner, every request with its state and next step) and `/seller/payouts/accounts`
//! (payout accounts, masked; the owner adds, changes or removes them with the password).

use super::badges::{PayoutStatusBadge, PlainState};
use crate::components::form::{field_error, form_error};
use crate::components::list::empty_state;
use crate::components::styles::{
    BUTTON_SECONDARY, BUTTON_SECONDARY_SMALL, CARD, DANGER_BANNER, FIELD_ERROR, H1, H2_LARGE, INPUT, LABEL, LINK, TD,
    WARNING,
};
use crate::components::{
    money, query_param, sign_in_redirect, DataTable, DetailResult, DoneNotice, FormAlert, ListResult, Section,
    SubmitButton, TextField, Time,
};
use crate::domain::payout::PayoutMethod;
use crate::error::AppError;
use crate::i18n::{fill, t, title, translate, use_lang};
use crate::payouts::api::{
    list_my_payouts, my_payout_accounts, seller_payouts, AddPayoutAccount, ChangePayoutAccount, RemovePayoutAccount,
    RequestPayout,
};
use crate::payouts::model::{method_key, PayoutAccountView, PayoutAccountsView, PayoutRow, SellerPayoutsView};
use leptos::html;
use leptos::prelude::*;
use leptos_meta::Title;

/// Signed out: sign in and come back to `next`; not a seller: how to become one.
fn payouts_error(next: &'static str, e: AppError) -> Option<AnyView> {
    match e {
        AppError::Unauthenticated => Some(sign_in_redirect(next.into())),
        AppError::Forbidden => Some(view! { <NotSeller/> }.into_any()),
        _ => None,
    }
}

#[component]
fn NotSeller() -> impl IntoView {
    view! {
        <section class=CARD data-testid="not-seller">
            <h2 class=H2_LARGE>{t("payouts.not_seller")}</h2>
            <a href="/sell" class=format!("mt-3 inline-block {LINK}")>{t("payouts.apply")}</a>
        </section>
    }
}

#[component]
fn Crumbs(here: &'static str, parent: Option<(&'static str, &'static str)>) -> impl IntoView {
    view! {
        <nav aria-label=t("payouts.breadcrumb") class="text-sm text-slate-500">
            <a href="/seller" class="hover:underline">{t("payouts.seller_center")}</a>
            {parent.map(|(key, href)| view! { " / " <a href=href class="hover:underline">{t(key)}</a> })}
            " / " <span>{t(here)}</span>
        </nav>
    }
}

#[component]
pub fn SellerPayoutsPage() -> impl IntoView {
    let cursor = query_param("cursor");
    let refresh = RwSignal::new(0u32);
    let overview = Resource::new(move || refresh.get(), |_| seller_payouts());
    let list = Resource::new(move || (cursor(), refresh.get()), |(c, _)| list_my_payouts(c));
    let request = ServerAction::<RequestPayout>::new();
    let notice = RwSignal::new(None::<&'static str>);
    Effect::new(move |_| match request.value().get() {
        Some(Ok(_)) => {
            notice.set(Some("payouts.request.done"));
            refresh.update(|n| *n += 1);
        }
        Some(Err(_)) => notice.set(None),
        None => {}
    });
    view! {
        <Title text=title("payouts.title")/>
        <div class="mx-auto max-w-6xl space-y-6">
            <Crumbs here="payouts.title" parent=None/>
            <div class="flex flex-wrap items-end justify-between gap-3">
                <h1 class=H1>{t("payouts.title")}</h1>
                <a href="/seller/payouts/accounts" data-testid="accounts-link" class=BUTTON_SECONDARY>{t("payouts.manage_accounts")}</a>
            </div>
            <DoneNotice notice/>
            <DetailResult resource=overview on_error=|e: AppError| payouts_error("/seller/payouts", e) let:v>
                <Overview v=v.clone()/>
                <RequestForm v request/>
            </DetailResult>
            <section aria-labelledby="requests-title" class="space-y-3">
                <h2 id="requests-title" class=H2_LARGE>{t("payouts.list.title")}</h2>
                // Signed out or not a seller: the page above says so once.
                <ListResult resource=list empty="payouts.list.empty" empty_hint="payouts.list.empty_hint"
                    on_error=|e: AppError| matches!(e, AppError::Unauthenticated | AppError::Forbidden).then(|| ().into_any()) let:rows>
                    <SellerRequests rows/>
                </ListResult>
            </section>
        </div>
    }
}

#[component]
fn Overview(v: SellerPayoutsView) -> impl IntoView {
    let c = v.currency;
    let cards = [
        ("pending", "payouts.balance.pending", "payouts.balance.pending_hint", v.pending_minor, "text-slate-900"),
        (
            "available",
            "payouts.balance.available",
            "payouts.balance.available_hint",
            v.available_minor,
            "text-green-700",
        ),
        (
            "in_transit",
            "payouts.balance.in_transit",
            "payouts.balance.in_transit_hint",
            v.in_transit_minor,
            "text-sky-700",
        ),
    ];
    view! {
        <p class="text-slate-600" data-testid="seller-name">{v.organisation_name.clone()}</p>
        {v.frozen.then(|| view! {
            <p role="alert" data-testid="frozen-banner" class=DANGER_BANNER>{t("payouts.frozen_banner")}</p>
        })}
        {v.hold_until_ms.map(|ms| view! { <CoolingOff ms/> })}
        <div class="grid gap-4 md:grid-cols-3">
            {cards.into_iter().map(|(id, label, hint, minor, colour)| view! {
                <section class=CARD aria-labelledby=format!("{id}-title")>
                    <h2 id=format!("{id}-title") class="text-sm font-medium text-slate-500">{t(label)}</h2>
                    <p class=format!("mt-1 text-3xl font-semibold tabular-nums {colour}") data-testid=format!("balance-{id}") data-minor=minor.to_string()>
                        {money(minor, c)}
                    </p>
                    <p class="mt-2 text-sm text-slate-600">{t(hint)}</p>
                </section>
            }).collect_view()}
        </div>
    }
}

#[component]
fn RequestForm(v: SellerPayoutsView, request: ServerAction<RequestPayout>) -> impl IntoView {
    let lang = use_lang();
    let result = move || request.value().get();
    let error = Signal::derive({
        let f = form_error(result);
        let k = field_error(result, "idempotency_key");
        move || f.get().or(k.get())
    });
    let account_error = field_error(result, "payout_account_id");
    let (min, available) = (money(v.minimum_minor, v.currency), money(v.available_minor.max(0), v.currency));
    let blocked: Option<&'static str> = if !v.is_owner {
        Some("payouts.request.owner_only")
    } else if v.frozen {
        Some("payouts.frozen_banner")
    } else if v.open_request {
        Some("payouts.request.open")
    } else if v.accounts.is_empty() {
        Some("payouts.no_account")
    } else {
        None
    };
    let form = NodeRef::<html::Form>::new();
    Effect::new(move |_| {
        if let (Some(Ok(_)), Some(f)) = (result(), form.get_untracked()) {
            f.reset();
        }
    });
    view! {
        <section class=CARD aria-labelledby="request-title">
            <h2 id="request-title" class=H2_LARGE>{t("payouts.request.title")}</h2>
            {match blocked {
                Some(key) => view! {
                    <p class="mt-2 text-sm text-slate-600" data-testid="request-blocked">{t(key)}</p>
                    {(key == "payouts.no_account" && v.is_owner).then(|| view! {
                        <a href="/seller/payouts/accounts" class=format!("mt-2 inline-block text-sm font-medium {LINK}")>{t("payouts.account.add")}</a>
                    })}
                }.into_any(),
                None => view! {
                    <ActionForm action=request node_ref=form attr:class="mt-4 grid gap-4 md:grid-cols-3 md:items-start" attr:data-testid="request-form">
                        <input type="hidden" name="idempotency_key" value=v.idempotency_key.clone()/>
                        <TextField label="payouts.request.amount" name="amount" maxlength=20 error=field_error(result, "amount")/>
                        <div class="space-y-1">
                            <label for="field-payout_account_id" class=LABEL>{t("payouts.request.account")}</label>
                            <select id="field-payout_account_id" name="payout_account_id" class=INPUT required=true
                                aria-invalid=move || account_error.get().is_some().to_string()>
                                {v.accounts.iter().map(|a| {
                                    let (m, masked) = (a.method, a.account_masked.clone());
                                    view! { <option value=a.id.to_string()>{move || format!("{} · {masked}", translate(lang.get(), method_key(m)))}</option> }
                                }).collect_view()}
                            </select>
                            {move || account_error.get().map(|e| view! { <p class=FIELD_ERROR data-testid="error-payout_account_id">{e}</p> })}
                        </div>
                        <div class="space-y-2 md:pt-6">
                            <SubmitButton label="payouts.request.submit" pending=request.pending()/>
                        </div>
                        <p class="text-sm text-slate-600 md:col-span-3">
                            {move || fill(&translate(lang.get(), "payouts.request.limits"), &[("min", min.clone()), ("available", available.clone())])}
                        </p>
                        <div class="md:col-span-3"><FormAlert error/></div>
                    </ActionForm>
                }.into_any(),
            }}
        </section>
    }
}

#[component]
fn SellerRequests(rows: Vec<PayoutRow>) -> impl IntoView {
    let lang = use_lang();
    let columns = vec![
        "payouts.col.requested",
        "payouts.col.amount",
        "payouts.col.account",
        "payouts.col.status",
        "payouts.col.next",
    ];
    view! {
        <DataTable caption="payouts.list.title" columns testid="payouts-table">
            {rows.into_iter().map(|p| {
                let m = p.method;
                view! {
                    <tr data-testid="payout-row" data-id=p.id.to_string()>
                        <td class=format!("{TD} whitespace-nowrap text-slate-500")><Time ms=p.requested_at_ms/></td>
                        <td class=format!("{TD} tabular-nums font-medium")>{money(p.amount_minor, p.currency)}</td>
                        <td class=TD>{move || translate(lang.get(), method_key(m))}" · "{p.account_masked.clone()}</td>
                        <td class=TD><PayoutStatusBadge status=p.status/></td>
                        <td class=TD><PlainState row=p.clone()/></td>
                    </tr>
                }
            }).collect_view()}
        </DataTable>
    }
}

#[component]
pub fn PayoutAccountsPage() -> impl IntoView {
    view! {
        <Title text=title("payouts.accounts.title")/>
        <div class="mx-auto max-w-4xl space-y-6">
            <Accounts/>
        </div>
    }
}

/// Which form the accounts page shows: one at a time, so field ids stay unique.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Add,
    Change(i64),
    Remove(i64),
}

#[component]
fn Accounts() -> impl IntoView {
    let refresh = RwSignal::new(0u32);
    let accounts = Resource::new(move || refresh.get(), |_| my_payout_accounts());
    let add = ServerAction::<AddPayoutAccount>::new();
    let change = ServerAction::<ChangePayoutAccount>::new();
    let remove = ServerAction::<RemovePayoutAccount>::new();
    let mode = RwSignal::new(Mode::Add);
    let notice = RwSignal::new(None::<&'static str>);
    let done = move |key: &'static str| {
        notice.set(Some(key));
        mode.set(Mode::Add);
        refresh.update(|n| *n += 1);
    };
    Effect::new(move |_| {
        if let Some(Ok(_)) = add.value().get() {
            done("payouts.account.saved")
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = change.value().get() {
            done("payouts.account.saved")
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = remove.value().get() {
            done("payouts.account.removed")
        }
    });
    view! {
        <Crumbs here="payouts.accounts.title" parent=Some(("payouts.title", "/seller/payouts"))/>
        <h1 class=H1>{t("payouts.accounts.title")}</h1>
        <DoneNotice notice/>
        <DetailResult resource=accounts on_error=|e: AppError| payouts_error("/seller/payouts/accounts", e) let:v>
            <AccountsBody v mode add change remove/>
        </DetailResult>
    }
}

#[component]
fn AccountsBody(
    v: PayoutAccountsView,
    mode: RwSignal<Mode>,
    add: ServerAction<AddPayoutAccount>,
    change: ServerAction<ChangePayoutAccount>,
    remove: ServerAction<RemovePayoutAccount>,
) -> impl IntoView {
    let lang = use_lang();
    let hours = v.cooling_off_hours;
    view! {
        <p class="text-sm text-slate-600">{move || fill(&translate(lang.get(), "payouts.accounts.intro"), &[("hours", hours.to_string())])}</p>
        {v.hold_until_ms.map(|ms| view! { <CoolingOff ms/> })}
        <AccountList v=v.clone() mode/>
        <AccountForms v mode add change remove/>
    }
}

/// A new or changed account waits before it can be paid to.
#[component]
fn CoolingOff(ms: i64) -> impl IntoView {
    view! {
        <p role="status" data-testid="cooling-off-banner" class=format!("px-4 py-3 {WARNING}")>
            {t("payouts.cooling_off_banner")} " " <Time ms/>
        </p>
    }
}

#[component]
fn AccountList(v: PayoutAccountsView, mode: RwSignal<Mode>) -> impl IntoView {
    if v.accounts.is_empty() {
        return empty_state("payouts.accounts.empty", Some("payouts.accounts.empty_hint"));
    }
    let owner = v.is_owner;
    view! {
        <ul class="space-y-3" data-testid="payout-accounts">
            {v.accounts.into_iter().map(|a| {
                let id = a.id;
                view! {
                    <li class=CARD data-testid="payout-account" data-id=id.to_string()>
                        <div class="flex flex-wrap items-start justify-between gap-3">
                            <div>
                                <p class="text-sm font-medium text-slate-500">{t(method_key(a.method))}</p>
                                <p class="font-mono text-lg font-semibold" data-testid="account-masked">{a.account_masked.clone()}</p>
                                <p class="text-sm text-slate-700">{a.holder.clone()}{(!a.bank_name.is_empty()).then(|| format!(" · {}", a.bank_name))}</p>
                                {(!a.notes.is_empty()).then(|| view! { <p class="mt-1 whitespace-pre-wrap text-sm text-slate-500">{a.notes.clone()}</p> })}
                                <p class="mt-1 text-xs text-slate-500">{t("payouts.account.added")} " " <Time ms=a.created_at_ms/></p>
                            </div>
                            {owner.then(|| view! {
                                <div class="flex gap-2">
                                    <button type="button" data-testid="change-account" on:click=move |_| mode.set(Mode::Change(id))
                                        class=BUTTON_SECONDARY_SMALL>{t("payouts.account.change")}</button>
                                    <button type="button" data-testid="remove-account" on:click=move |_| mode.set(Mode::Remove(id))
                                        class="rounded-md border border-red-200 bg-white px-3 py-1.5 text-sm font-medium text-red-700 hover:bg-red-50">{t("payouts.account.remove")}</button>
                                </div>
                            })}
                        </div>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
fn AccountForms(
    v: PayoutAccountsView,
    mode: RwSignal<Mode>,
    add: ServerAction<AddPayoutAccount>,
    change: ServerAction<ChangePayoutAccount>,
    remove: ServerAction<RemovePayoutAccount>,
) -> impl IntoView {
    if !v.is_owner {
        return view! { <p class="text-sm text-slate-600" data-testid="owner-only">{t("payouts.accounts.staff")}</p> }
            .into_any();
    }
    let lang = use_lang();
    let full = v.accounts.len() as i64 >= v.max_accounts;
    let max = v.max_accounts;
    let accounts = v.accounts.clone();
    let find = move |id: i64| accounts.iter().find(|a| a.id == id).cloned();
    view! {
        {move || match mode.get() {
            Mode::Add if full => view! {
                <p class="text-sm text-slate-600">{move || fill(&translate(lang.get(), "payouts.accounts.max"), &[("max", max.to_string())])}</p>
            }.into_any(),
            Mode::Add => view! {
                <Section id="account-form-title" title=t("payouts.account.add")><AddForm action=add/></Section>
            }.into_any(),
            Mode::Change(id) => match find(id) {
                None => ().into_any(),
                Some(a) => {
                    let masked = a.account_masked.clone();
                    view! {
                        <Section id="account-form-title" title=move || fill(&translate(lang.get(), "payouts.account.change_title"), &[("account", masked.clone())])>
                            <ChangeForm action=change existing=a/>
                            <button type="button" on:click=move |_| mode.set(Mode::Add) class="mt-3 text-sm text-slate-600 hover:underline">{t("payouts.account.cancel")}</button>
                        </Section>
                    }.into_any()
                }
            },
            Mode::Remove(id) => match find(id) {
                None => ().into_any(),
                Some(a) => {
                    let masked = a.account_masked.clone();
                    let result = move || remove.value().get();
                    view! {
                        <section class="rounded-xl border border-red-200 bg-white p-6" aria-labelledby="remove-title">
                            <h2 id="remove-title" class="font-semibold text-red-800">{move || fill(&translate(lang.get(), "payouts.account.remove_title"), &[("account", masked.clone())])}</h2>
                            <ActionForm action=remove attr:class="mt-4 space-y-4" attr:data-testid="remove-account-form">
                                <input type="hidden" name="id" value=id.to_string()/>
                                <TextField label="payouts.account.password" name="password" kind="password" autocomplete="current-password" maxlength=128 error=field_error(result, "password")/>
                                <FormAlert error=form_error(result)/>
                                <div class="flex items-center gap-3">
                                    <SubmitButton label="payouts.account.remove_submit" pending=remove.pending() danger=true/>
                                    <button type="button" on:click=move |_| mode.set(Mode::Add) class="text-sm text-slate-600 hover:underline">{t("payouts.account.cancel")}</button>
                                </div>
                            </ActionForm>
                        </section>
                    }.into_any()
                }
            },
        }}
    }
    .into_any()
}

/// The fields the add and change forms share. The number is never prefilled (it is not sent to the
/// browser): the owner types the account again.
#[component]
fn AccountFields<T: Clone + Send + Sync + 'static>(
    result: Signal<Option<Result<T, AppError>>>,
    existing: Option<PayoutAccountView>,
) -> impl IntoView {
    let lang = use_lang();
    let current = existing.as_ref().map(|a| a.method).unwrap_or(PayoutMethod::Paypal);
    let method_error = field_error(move || result.get(), "method");
    let text = |f: fn(&PayoutAccountView) -> String| existing.as_ref().map(f).unwrap_or_default();
    view! {
        <div class="space-y-1">
            <label for="field-method" class=LABEL>{t("payouts.method")}</label>
            <select id="field-method" name="method" class=INPUT required=true aria-invalid=move || method_error.get().is_some().to_string()>
                {PayoutMethod::ALL.into_iter().map(|m| view! {
                    <option value=m.as_str() selected=m == current>{move || translate(lang.get(), method_key(m))}</option>
                }).collect_view()}
            </select>
            {move || method_error.get().map(|e| view! { <p class=FIELD_ERROR data-testid="error-method">{e}</p> })}
        </div>
        <TextField label="payouts.account.holder" name="holder" maxlength=100 value=text(|a| a.holder.clone()) error=field_error(move || result.get(), "holder")/>
        <TextField label="payouts.account.number" name="account" maxlength=64 hint="payouts.account.number_hint" error=field_error(move || result.get(), "account")/>
        <TextField label="payouts.account.bank_name" name="bank_name" maxlength=100 required=false hint="payouts.account.bank_name_hint" value=text(|a| a.bank_name.clone()) error=field_error(move || result.get(), "bank_name")/>
        <TextField label="payouts.account.notes" name="notes" maxlength=500 required=false value=text(|a| a.notes.clone()) error=field_error(move || result.get(), "notes")/>
        <TextField label="payouts.account.password" name="password" kind="password" autocomplete="current-password" maxlength=128 error=field_error(move || result.get(), "password")/>
        <FormAlert error=form_error(move || result.get())/>
    }
}

#[component]
fn AddForm(action: ServerAction<AddPayoutAccount>) -> impl IntoView {
    let result = Signal::derive(move || action.value().get());
    view! {
        <ActionForm action attr:class="mt-4 space-y-4" attr:data-testid="add-account-form">
            <AccountFields result existing=None/>
            <SubmitButton label="payouts.account.add_submit" pending=action.pending()/>
        </ActionForm>
    }
}

#[component]
fn ChangeForm(action: ServerAction<ChangePayoutAccount>, existing: PayoutAccountView) -> impl IntoView {
    let result = Signal::derive(move || action.value().get());
    let id = existing.id;
    view! {
        <ActionForm action attr:class="mt-4 space-y-4" attr:data-testid="change-account-form">
            <input type="hidden" name="id" value=id.to_string()/>
            <AccountFields result existing=Some(existing)/>
            <SubmitButton label="payouts.account.change_submit" pending=action.pending()/>
        </ActionForm>
    }
}
