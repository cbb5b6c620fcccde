//! The directory's lists: users and organisations (one user's page is in `console_detail.rs`).
//! Filters are a GET form whose values live in the query string, so a filtered page can be
//! bookmarked, and searching and paging are plain links and form submissions.

use super::console_batch_ban::{BatchBanPanel, SelectForBan};
use super::console_create::CreateUserPanel;
use crate::components::styles::{ROW_LINK, TD, TD_INLINE};
use crate::components::{
    label_or_raw, list_filter_error, query_param, shown_by_filters, DataTable, DetailResult, FilterBar, ForbiddenState,
    InlineTable, ListResult, NoneYet, Section, SelectFilter, StatusBadge, TextFilter, Time, Tone,
};
use crate::domain::permissions::{OperatorRole, AUDIT_VIEW, ORGANISATIONS_VIEW, USERS_BAN, USERS_MANAGE, USERS_VIEW};
use crate::domain::roles::RoleName;
use crate::domain::user_record::TAG_MAX_CHARS;
use crate::frame::console::shell::{use_operator, PageHeader};
use crate::i18n::{t, use_lang};
use crate::users::api::{list_organisations, list_users, recent_refusals};
use crate::users::model::{built_in_role_key, OrgRow, Refusal, UserKind, UserRow, UserStatus, ORG_STATUSES};
use crate::users::roles::api::role_names;
use crate::users::roles::pages::RoleLabel;
use leptos::prelude::*;

/// What a user's state means to the operator reading the list.
pub(super) fn tone(status: UserStatus) -> Tone {
    match status {
        UserStatus::Active => Tone::Success,
        UserStatus::Banned => Tone::Danger,
        UserStatus::Deleted => Tone::Neutral,
    }
}

#[component]
pub(super) fn RoleChips(roles: Vec<RoleName>) -> impl IntoView {
    if roles.is_empty() {
        return view! { <span class="text-slate-400">{t("users.no_role")}</span> }.into_any();
    }
    view! {
        <ul class="flex flex-wrap gap-1">
            {roles.into_iter().map(|r| view! {
                <li class="rounded bg-indigo-50 px-1.5 py-0.5 text-xs font-medium text-indigo-700"><RoleLabel role=r/></li>
            }).collect_view()}
        </ul>
    }
    .into_any()
}

/// A user's tags as small chips; none, a dash.
#[component]
pub(super) fn TagChips(tags: Vec<String>) -> impl IntoView {
    if tags.is_empty() {
        return view! { <span class="text-slate-400">"—"</span> }.into_any();
    }
    view! {
        <ul class="flex flex-wrap gap-1">
            {tags.into_iter().map(|tag| view! {
                <li class="rounded bg-amber-50 px-1.5 py-0.5 text-xs font-medium text-amber-800" data-testid="tag">{tag}</li>
            }).collect_view()}
        </ul>
    }
    .into_any()
}

/// "Clear": back to the unfiltered list.
#[component]
fn ClearFilters(href: &'static str) -> impl IntoView {
    view! { <a href=href class="rounded-md px-3 py-2 text-sm text-slate-600 hover:bg-slate-100">{t("action.clear")}</a> }
}

#[component]
pub fn UsersPage() -> impl IntoView {
    if !use_operator().is_some_and(|v| v.can(USERS_VIEW)) {
        return view! { <PageHeader title="console.users" crumbs=vec![]/><ForbiddenState/> }.into_any();
    }
    let (q, status, role, cursor) =
        (query_param("q"), query_param("status"), query_param("role"), query_param("cursor"));
    let (kind, tag, from, to) = (query_param("kind"), query_param("tag"), query_param("from"), query_param("to"));
    // Bumped after a batch ban: the list is read again to show the new statuses.
    let refresh = RwSignal::new(0u32);
    let users = Resource::new(
        move || ((q(), status(), role(), kind()), (tag(), from(), to(), cursor()), refresh.get()),
        |((q, s, r, k), (tag, from, to, c), _)| list_users(q, s, r, k, tag, from, to, c),
    );
    // Who may ban ticks users in the list for a batch ban (never themselves).
    let batch = use_operator().filter(|v| v.can(USERS_BAN)).map(|v| v.user_id);
    // Refusals are audit entries: shown only to those who may read the audit log (asking without the
    // permission would itself be a refusal on record).
    let can_audit = use_operator().is_some_and(|v| v.can(AUDIT_VIEW));
    let can_create = use_operator().is_some_and(|v| v.can(USERS_MANAGE));
    let statuses = UserStatus::ALL.into_iter().map(|s| (s.as_str(), s.label_key().to_string())).collect();
    let kinds = UserKind::ALL.into_iter().map(|k| (k.as_str(), k.label_key().to_string())).collect();
    let roles = [("any", "users.filter.role_any".to_string()), ("none", "users.filter.role_none".to_string())]
        .into_iter()
        .chain(OperatorRole::ALL.into_iter().map(|r| (r.as_str(), built_in_role_key(r).to_string())))
        .collect::<Vec<_>>();
    // Custom roles are data: the select offers them once their names have come.
    let custom_roles = Resource::new(|| (), |_| role_names());
    let custom = move || {
        let names = custom_roles.get().and_then(Result::ok).unwrap_or_default();
        names
            .into_iter()
            .filter(|n| n.built_in().is_none())
            .map(|n| (n.as_str().to_string(), n.as_str().to_string()))
            .collect()
    };
    view! {
        <PageHeader title="console.users" crumbs=vec![]/>
        {can_create.then(|| view! { <CreateUserPanel/> })}
        {batch.is_some().then(|| view! { <BatchBanPanel refresh/> })}
        <div class="mb-4">
            <FilterBar action="/console/users" label="users.filters" testid="user-filters" error=list_filter_error(users)>
                <TextFilter name="q" label="users.filter.q" kind="search"/>
                <SelectFilter name="status" label="users.filter.status" all="users.filter.all_statuses" options=statuses/>
                <Transition fallback={ let roles = roles.clone(); move || view! { <SelectFilter name="role" label="users.filter.role" all="users.filter.all_users" options=roles.clone()/> } }>
                    {move || view! { <SelectFilter name="role" label="users.filter.role" all="users.filter.all_users" options=roles.clone() extra=custom()/> }}
                </Transition>
                <SelectFilter name="kind" label="users.kind" all="users.filter.all_kinds" options=kinds/>
                <TextFilter name="tag" label="users.filter.tag" maxlength=TAG_MAX_CHARS/>
                <TextFilter name="from" label="users.filter.joined_from" kind="date"/>
                <TextFilter name="to" label="users.filter.joined_to" kind="date"/>
                <ClearFilters href="/console/users"/>
            </FilterBar>
        </div>
        <ListResult resource=users empty="users.empty" empty_hint="users.empty_hint"
            keep=&["q", "status", "role", "kind", "tag", "from", "to"]
            on_error=shown_by_filters let:rows>
            <UsersTable rows batch/>
        </ListResult>
        {can_audit.then(|| view! { <RecentRefusals/> })}
    }
    .into_any()
}

/// The latest refused attempts across the platform, each linking to its audit entry.
#[component]
fn RecentRefusals() -> impl IntoView {
    let refusals = Resource::new(|| (), |_| recent_refusals());
    view! {
        <div class="mt-6">
            <Section id="refusals-title" title=t("users.refusals.title")>
                <p class="mt-1 text-sm text-slate-600">{t("users.refusals.intro")}</p>
                <DetailResult resource=refusals let:rows>
                    {if rows.is_empty() {
                        view! { <NoneYet key="users.refusals.empty"/> }.into_any()
                    } else {
                        view! { <RefusalLines rows/> }.into_any()
                    }}
                </DetailResult>
            </Section>
        </div>
    }
}

#[component]
fn RefusalLines(rows: Vec<Refusal>) -> impl IntoView {
    let columns = vec![
        "users.refusals.at",
        "users.refusals.user",
        "users.refusals.what",
        "users.refusals.reason",
        "users.refusals.ip",
    ];
    view! {
        <InlineTable caption="users.refusals.title" columns=columns testid="refusals">
            {rows.into_iter().map(|r| view! {
                <tr data-testid="refusal-row">
                    <td class=format!("{TD_INLINE} whitespace-nowrap")>
                        <a href=format!("/console/audit/{}", r.id) class="text-indigo-700 hover:underline"><Time ms=r.at_ms/></a>
                    </td>
                    <td class=TD_INLINE>{match (r.user_id, r.email) {
                        (Some(id), Some(email)) => view! { <a href=format!("/console/users/{id}") class="text-indigo-700 hover:underline">{email}</a> }.into_any(),
                        _ => "—".into_any(),
                    }}</td>
                    <td class=format!("{TD_INLINE} font-mono text-xs")>{r.action}</td>
                    <td class=TD_INLINE>{r.reason}</td>
                    <td class=format!("{TD_INLINE} font-mono text-xs")>{r.ip}</td>
                </tr>
            }).collect_view()}
        </InlineTable>
    }
}

#[component]
fn UsersTable(rows: Vec<UserRow>, batch: Option<i64>) -> impl IntoView {
    let mut columns = vec![
        "users.batch_ban.select",
        "users.col.email",
        "users.col.name",
        "users.col.status",
        "users.col.roles",
        "users.tags",
        "users.col.created",
        "users.col.last_sign_in",
    ];
    if batch.is_none() {
        columns.remove(0);
    }
    view! {
        <DataTable caption="users.caption" columns testid="users-table">
            {rows.into_iter().map(|u| view! {
                <tr class="hover:bg-slate-50" data-testid="user-row">
                    {batch.map(|me| view! {
                        <td class=TD>{(u.status == UserStatus::Active && u.id != me)
                            .then(|| view! { <SelectForBan id=u.id email=u.email.clone()/> })}</td>
                    })}
                    <td class=TD><a href=format!("/console/users/{}", u.id) class=ROW_LINK>{u.email}</a></td>
                    <td class=TD>{u.display_name}</td>
                    <td class=TD><StatusBadge tone=tone(u.status) label=t(u.status.label_key()) testid="status-badge"/></td>
                    <td class=TD><RoleChips roles=u.roles/></td>
                    <td class=TD><TagChips tags=u.tags/></td>
                    <td class=format!("{TD} whitespace-nowrap text-slate-500")><Time ms=u.created_at_ms/></td>
                    <td class=format!("{TD} whitespace-nowrap text-slate-500")>
                        {match u.last_sign_in_at_ms {
                            Some(ms) => view! { <Time ms/> }.into_any(),
                            None => t("users.never_signed_in").into_any(),
                        }}
                        <span class="ml-1 text-xs tabular-nums" title=t("users.sign_in_count")>{format!("({})", u.sign_in_count)}</span>
                    </td>
                </tr>
            }).collect_view()}
        </DataTable>
    }
}

#[component]
pub fn OrganisationsPage() -> impl IntoView {
    if !use_operator().is_some_and(|v| v.can(ORGANISATIONS_VIEW)) {
        return view! { <PageHeader title="console.organisations" crumbs=vec![]/><ForbiddenState/> }.into_any();
    }
    let (q, status, cursor) = (query_param("q"), query_param("status"), query_param("cursor"));
    let orgs = Resource::new(move || (q(), status(), cursor()), |(q, s, c)| list_organisations(q, s, c));
    // A filtered list that comes back empty says so; the first visit explains what the list is for.
    let filtered = Memo::new(move |_| q().is_some() || status().is_some() || cursor().is_some());
    let statuses: Vec<_> = ORG_STATUSES.into_iter().map(|s| (s, format!("orgs.status.{s}"))).collect();
    view! {
        <PageHeader title="console.organisations" crumbs=vec![]/>
        <div class="mb-4">
            <FilterBar action="/console/organisations" label="orgs.filters" testid="org-filters" error=list_filter_error(orgs)>
                <TextFilter name="q" label="orgs.filter.q" kind="search"/>
                <SelectFilter name="status" label="orgs.col.status" all="users.filter.all_statuses" options=statuses/>
                <ClearFilters href="/console/organisations"/>
            </FilterBar>
        </div>
        {move || if filtered.get() {
            view! {
                <ListResult resource=orgs empty="orgs.none_match" keep=&["q", "status"] on_error=shown_by_filters let:rows>
                    <OrgsTable rows/>
                </ListResult>
            }.into_any()
        } else {
            view! {
                <ListResult resource=orgs empty="orgs.empty" empty_hint="orgs.empty_hint" keep=&["q", "status"]
                    on_error=shown_by_filters let:rows>
                    <OrgsTable rows/>
                </ListResult>
            }.into_any()
        }}
    }
    .into_any()
}

#[component]
fn OrgsTable(rows: Vec<OrgRow>) -> impl IntoView {
    let lang = use_lang();
    let columns = vec![
        "orgs.col.name",
        "orgs.col.kind",
        "orgs.col.status",
        "orgs.col.region",
        "orgs.col.owner",
        "orgs.col.members",
        "orgs.col.created",
    ];
    view! {
        <DataTable caption="orgs.caption" columns testid="orgs-table">
            {rows.into_iter().map(|o| {
                let (kind, status) = (o.kind.clone(), o.status.clone());
                let name = if o.kind == "seller" {
                    view! { <a href=format!("/console/sellers/{}", o.id) class="text-indigo-700 hover:underline">{o.name}</a> }.into_any()
                } else {
                    view! { <span>{o.name}</span> }.into_any()
                };
                view! {
                    <tr data-testid="org-row">
                        <td class=format!("{TD} font-medium")>{name}</td>
                        <td class=TD>{move || label_or_raw(lang.get(), "orgs.kind.", &kind)}</td>
                        <td class=TD>{move || label_or_raw(lang.get(), "orgs.status.", &status)}</td>
                        <td class=TD>{o.region}</td>
                        <td class=TD>{o.owner_email}</td>
                        <td class=format!("{TD} tabular-nums")>{o.members}</td>
                        <td class=format!("{TD} whitespace-nowrap text-slate-500")><Time ms=o.created_at_ms/></td>
                    </tr>
                }
            }).collect_view()}
        </DataTable>
    }
}

/// Keeps `RoleFilter` and the role select in step: every value the select offers must parse.
#[cfg(test)]
mod tests {
    use super::*;
    use crate::components::query_string;
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
