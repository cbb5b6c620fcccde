//! The directory's lists: users and organisations (one user's page is in `detail.rs`). Filters are a
//! GET form whose values live in the query string, so a filtered page can be bookmarked, and searching
//! and paging are plain links and form submissions.

use crate::components::states::{error_text, Time};
use crate::components::{EmptyState, ErrorState, ForbiddenState, LoadingState, Pager};
use crate::domain::page::Page;
use crate::domain::permissions::{OperatorRole, ORGANISATIONS_VIEW, USERS_VIEW};
use crate::error::AppError;
use crate::frame::console::shell::{use_operator, PageHeader};
use crate::i18n::{t, use_lang};
use crate::users::api::{list_organisations, list_users};
use crate::users::model::{role_key, OrgRow, UserRow, UserStatus, ORG_STATUSES};
use leptos::prelude::*;
use leptos_router::components::Form;

use crate::components::styles::INPUT;
use crate::components::styles::LABEL;
use crate::components::styles::TD;
use crate::components::styles::TH;

pub(super) use crate::components::format::label_or_raw;
use crate::components::query::query_param;
use crate::components::query::query_string;

/// The error a list answered with when it belongs next to `field` of the filter form.
fn filter_error<T: Clone + Send + Sync + 'static>(
    list: Resource<Result<Page<T>, AppError>>,
    field: &'static str,
) -> impl IntoView {
    let lang = use_lang();
    let error = move || match list.get() {
        Some(Err(e)) if e.field() == Some(field) => Some(error_text(lang.get(), &e)),
        _ => None,
    };
    view! {
        <Transition fallback=|| ()>
            {move || error().map(|e| view! {
                <p id=format!("filter-{field}-error") class="text-sm text-red-600" data-testid=format!("error-{field}")>{e}</p>
            })}
        </Transition>
    }
}

#[component]
pub(super) fn StatusBadge(status: UserStatus) -> impl IntoView {
    let colour = match status {
        UserStatus::Active => "bg-green-50 text-green-700 ring-green-600/20",
        UserStatus::Banned => "bg-red-50 text-red-700 ring-red-600/20",
    };
    view! {
        <span data-testid="status-badge" class=format!("inline-flex rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset {colour}")>
            {t(status.label_key())}
        </span>
    }
}

#[component]
pub(super) fn RoleChips(roles: Vec<OperatorRole>) -> impl IntoView {
    if roles.is_empty() {
        return view! { <span class="text-slate-400">{t("users.no_role")}</span> }.into_any();
    }
    view! {
        <ul class="flex flex-wrap gap-1">
            {roles.into_iter().map(|r| view! {
                <li class="rounded bg-indigo-50 px-1.5 py-0.5 text-xs font-medium text-indigo-700">{t(role_key(r))}</li>
            }).collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
pub fn UsersPage() -> impl IntoView {
    if !use_operator().is_some_and(|v| v.can(USERS_VIEW)) {
        return view! { <PageHeader title="console.users" crumbs=vec![]/><ForbiddenState/> }.into_any();
    }
    let (q, status, role, cursor) =
        (query_param("q"), query_param("status"), query_param("role"), query_param("cursor"));
    let users = Resource::new(move || (q(), status(), role(), cursor()), |(q, s, r, c)| list_users(q, s, r, c));
    let selected = |current: Option<String>, value: &str| current.as_deref() == Some(value);
    view! {
        <PageHeader title="console.users" crumbs=vec![]/>
        <Form method="GET" action="/console/users" attr:aria-label=t("users.filters") attr:data-testid="user-filters"
            attr:class="mb-4 grid gap-3 rounded-xl border border-slate-200 bg-white p-4 sm:grid-cols-[2fr_1fr_1fr_auto] sm:items-end">
            <div class="space-y-1">
                <label for="filter-q" class=LABEL>{t("users.filter.q")}</label>
                <input id="filter-q" name="q" type="search" maxlength="100" value=q class=INPUT
                    aria-describedby="filter-q-error"/>
                {filter_error(users, "q")}
            </div>
            <div class="space-y-1">
                <label for="filter-status" class=LABEL>{t("users.filter.status")}</label>
                <select id="filter-status" name="status" class=INPUT aria-describedby="filter-status-error">
                    <option value="">{t("users.filter.all_statuses")}</option>
                    {UserStatus::ALL.into_iter().map(|s| view! {
                        <option value=s.as_str() selected=move || selected(status(), s.as_str())>{t(s.label_key())}</option>
                    }).collect_view()}
                </select>
                {filter_error(users, "status")}
            </div>
            <div class="space-y-1">
                <label for="filter-role" class=LABEL>{t("users.filter.role")}</label>
                <select id="filter-role" name="role" class=INPUT aria-describedby="filter-role-error">
                    <option value="">{t("users.filter.all_users")}</option>
                    <option value="any" selected=move || selected(role(), "any")>{t("users.filter.role_any")}</option>
                    <option value="none" selected=move || selected(role(), "none")>{t("users.filter.role_none")}</option>
                    {OperatorRole::ALL.into_iter().map(|r| view! {
                        <option value=r.as_str() selected=move || selected(role(), r.as_str())>{t(role_key(r))}</option>
                    }).collect_view()}
                </select>
                {filter_error(users, "role")}
            </div>
            <div class="flex gap-2">
                <button type="submit" class="rounded-md bg-indigo-600 px-4 py-2 text-sm font-semibold text-white hover:bg-indigo-700">{t("action.filter")}</button>
                <a href="/console/users" class="rounded-md px-3 py-2 text-sm text-slate-600 hover:bg-slate-100">{t("action.clear")}</a>
            </div>
        </Form>
        <Transition fallback=LoadingState>
            {move || users.get().map(|r| match r {
                Err(e) if e.field().is_some() => ().into_any(),
                Err(e) => view! { <ErrorState error=e/> }.into_any(),
                Ok(page) if page.rows.is_empty() => view! {
                    <EmptyState title=Signal::derive(t("users.empty")) hint=Signal::derive(t("users.empty_hint"))/>
                }.into_any(),
                Ok(page) => {
                    let base = query_string(&[("q", q()), ("status", status()), ("role", role())]);
                    view! {
                        <UsersTable rows=page.rows/>
                        <Pager next=page.next base_query=base is_first=cursor().is_none()/>
                    }.into_any()
                }
            })}
        </Transition>
    }
    .into_any()
}

#[component]
fn UsersTable(rows: Vec<UserRow>) -> impl IntoView {
    view! {
        <div class="overflow-x-auto rounded-xl border border-slate-200 bg-white">
            <table class="min-w-full divide-y divide-slate-200 text-sm" data-testid="users-table">
                <caption class="sr-only">{t("users.caption")}</caption>
                <thead class="bg-slate-50">
                    <tr>
                        <th scope="col" class=TH>{t("users.col.email")}</th>
                        <th scope="col" class=TH>{t("users.col.name")}</th>
                        <th scope="col" class=TH>{t("users.col.status")}</th>
                        <th scope="col" class=TH>{t("users.col.roles")}</th>
                        <th scope="col" class=TH>{t("users.col.created")}</th>
                    </tr>
                </thead>
                <tbody class="divide-y divide-slate-100">
                    {rows.into_iter().map(|u| view! {
                        <tr class="hover:bg-slate-50" data-testid="user-row">
                            <td class=TD>
                                <a href=format!("/console/users/{}", u.id) class="font-medium text-indigo-700 hover:underline">{u.email}</a>
                            </td>
                            <td class=TD>{u.display_name}</td>
                            <td class=TD><StatusBadge status=u.status/></td>
                            <td class=TD><RoleChips roles=u.roles/></td>
                            <td class=format!("{TD} whitespace-nowrap text-slate-500")><Time ms=u.created_at_ms/></td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
pub fn OrganisationsPage() -> impl IntoView {
    if !use_operator().is_some_and(|v| v.can(ORGANISATIONS_VIEW)) {
        return view! { <PageHeader title="console.organisations" crumbs=vec![]/><ForbiddenState/> }.into_any();
    }
    let (q, status, cursor) = (query_param("q"), query_param("status"), query_param("cursor"));
    let orgs = Resource::new(move || (q(), status(), cursor()), |(q, s, c)| list_organisations(q, s, c));
    let filtered = move || q().is_some() || status().is_some() || cursor().is_some();
    let lang = use_lang();
    view! {
        <PageHeader title="console.organisations" crumbs=vec![]/>
        <Form method="GET" action="/console/organisations" attr:aria-label=t("orgs.filters") attr:data-testid="org-filters"
            attr:class="mb-4 grid gap-3 rounded-xl border border-slate-200 bg-white p-4 sm:grid-cols-[2fr_1fr_auto] sm:items-end">
            <div class="space-y-1">
                <label for="filter-q" class=LABEL>{t("orgs.filter.q")}</label>
                <input id="filter-q" name="q" type="search" maxlength="100" value=q class=INPUT aria-describedby="filter-q-error"/>
                {filter_error(orgs, "q")}
            </div>
            <div class="space-y-1">
                <label for="filter-status" class=LABEL>{t("orgs.col.status")}</label>
                <select id="filter-status" name="status" class=INPUT aria-describedby="filter-status-error">
                    <option value="">{t("users.filter.all_statuses")}</option>
                    {ORG_STATUSES.into_iter().map(|s| view! {
                        <option value=s selected=move || status().as_deref() == Some(s)>{move || label_or_raw(lang.get(), "orgs.status.", s)}</option>
                    }).collect_view()}
                </select>
                {filter_error(orgs, "status")}
            </div>
            <div class="flex gap-2">
                <button type="submit" class="rounded-md bg-indigo-600 px-4 py-2 text-sm font-semibold text-white hover:bg-indigo-700">{t("action.filter")}</button>
                <a href="/console/organisations" class="rounded-md px-3 py-2 text-sm text-slate-600 hover:bg-slate-100">{t("action.clear")}</a>
            </div>
        </Form>
        <Transition fallback=LoadingState>
            {move || orgs.get().map(|r| match r {
                Err(e) if e.field().is_some() => ().into_any(),
                Err(e) => view! { <ErrorState error=e/> }.into_any(),
                Ok(page) if page.rows.is_empty() && filtered() => view! {
                    <EmptyState title=Signal::derive(t("orgs.none_match"))/>
                }.into_any(),
                Ok(page) if page.rows.is_empty() => view! {
                    <EmptyState title=Signal::derive(t("orgs.empty")) hint=Signal::derive(t("orgs.empty_hint"))/>
                }.into_any(),
                Ok(page) => {
                    let base = query_string(&[("q", q()), ("status", status())]);
                    view! {
                        <OrgsTable rows=page.rows/>
                        <Pager next=page.next base_query=base is_first=cursor().is_none()/>
                    }.into_any()
                }
            })}
        </Transition>
    }
    .into_any()
}

#[component]
fn OrgsTable(rows: Vec<OrgRow>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <div class="overflow-x-auto rounded-xl border border-slate-200 bg-white">
            <table class="min-w-full divide-y divide-slate-200 text-sm" data-testid="orgs-table">
                <caption class="sr-only">{t("orgs.caption")}</caption>
                <thead class="bg-slate-50">
                    <tr>
                        <th scope="col" class=TH>{t("orgs.col.name")}</th>
                        <th scope="col" class=TH>{t("orgs.col.kind")}</th>
                        <th scope="col" class=TH>{t("orgs.col.status")}</th>
                        <th scope="col" class=TH>{t("orgs.col.region")}</th>
                        <th scope="col" class=TH>{t("orgs.col.owner")}</th>
                        <th scope="col" class=TH>{t("orgs.col.members")}</th>
                        <th scope="col" class=TH>{t("orgs.col.created")}</th>
                    </tr>
                </thead>
                <tbody class="divide-y divide-slate-100">
                    {rows.into_iter().map(|o| {
                        let (kind, status) = (o.kind.clone(), o.status.clone());
                        view! {
                            <tr data-testid="org-row">
                                <td class=format!("{TD} font-medium")>
                                    {if o.kind == "seller" {
                                        view! { <a href=format!("/console/sellers/{}", o.id) class="text-indigo-700 hover:underline">{o.name}</a> }.into_any()
                                    } else {
                                        view! { <span>{o.name}</span> }.into_any()
                                    }}
                                </td>
                                <td class=TD>{move || label_or_raw(lang.get(), "orgs.kind.", &kind)}</td>
                                <td class=TD>{move || label_or_raw(lang.get(), "orgs.status.", &status)}</td>
                                <td class=TD>{o.region}</td>
                                <td class=TD>{o.owner_email}</td>
                                <td class=format!("{TD} tabular-nums")>{o.members}</td>
                                <td class=format!("{TD} whitespace-nowrap text-slate-500")><Time ms=o.created_at_ms/></td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// Keeps `RoleFilter` and the role select in step: every value the select offers must parse.
#[cfg(test)]
mod tests {
    use super::*;
    use crate::users::model::RoleFilter;

    #[test]
    fn every_role_option_is_a_valid_filter() {
        for value in ["any", "none"].into_iter().chain(OperatorRole::ALL.iter().map(|r| r.as_str())) {
            assert!(RoleFilter::parse(value).is_some(), "{value}");
        }
    }

    #[test]
    fn the_pager_keeps_only_set_filters() {
        assert_eq!(
            query_string(&[("q", Some("a b".into())), ("status", None), ("role", Some("any".into()))]),
            "q=a%20b&role=any"
        );
    }
}
