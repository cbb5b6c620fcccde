//! One user: the facts an operator needs before acting, and the protected actions their roles allow
//! (ban or unban with `users.ban`, roles with `roles.assign`). Each action asks for a reason and the
//! operator's password; after it succeeds the page reloads the user, so what it shows is the new state.

use super::console::{label_or_raw, RoleChips, StatusBadge};
use crate::components::form::{field_error, form_error};
use crate::components::states::Time;
use crate::components::{
    EmptyState, ErrorState, ForbiddenState, FormAlert, LoadingState, ProtectedFields, SubmitButton,
};
use crate::domain::permissions::{OperatorRole, ROLES_ASSIGN, USERS_BAN, USERS_VIEW};
use crate::error::AppError;
use crate::frame::console::shell::{use_operator, PageHeader};
use crate::i18n::{t, use_lang};
use crate::users::api::{get_user, BanUser, SetUserRoles, UnbanUser};
use crate::users::model::{role_key, AuditLine, Membership, UserDetail, UserStatus};
use leptos::html;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::components::styles::CARD;

/// Empties a form once its action succeeded: the reason and the password were for that action only,
/// and the reloaded page may reuse the form's elements for the next one.
fn reset_on_success<T: Send + Sync + 'static>(
    form: NodeRef<html::Form>,
    result: impl Fn() -> Option<Result<T, AppError>> + Send + Sync + 'static,
) {
    Effect::new(move |_| {
        if let (Some(Ok(_)), Some(form)) = (result(), form.get_untracked()) {
            form.reset();
        }
    });
}

#[component]
pub fn UserDetailPage() -> impl IntoView {
    let Some(operator) = use_operator().filter(|v| v.can(USERS_VIEW)) else {
        return view! { <PageHeader title="users.detail" crumbs=vec![("console.users", "/console/users")]/><ForbiddenState/> }
            .into_any();
    };
    let (me, can_ban, can_assign) = (operator.user_id, operator.can(USERS_BAN), operator.can(ROLES_ASSIGN));
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id")).and_then(|s| s.parse::<i64>().ok()).filter(|id| *id > 0);
    let ban = ServerAction::<BanUser>::new();
    let unban = ServerAction::<UnbanUser>::new();
    let assign = ServerAction::<SetUserRoles>::new();
    // Reload only after a success: a failed attempt keeps the form as typed, next to its error.
    let refresh = RwSignal::new(0u32);
    let notice = RwSignal::new(None::<&'static str>);
    for (value, done) in
        [(ban.value(), "users.ban.done"), (unban.value(), "users.unban.done"), (assign.value(), "users.roles.done")]
    {
        Effect::new(move |_| match value.get() {
            Some(Ok(())) => {
                notice.set(Some(done));
                refresh.update(|n| *n += 1);
            }
            Some(Err(_)) => notice.set(None),
            None => {}
        });
    }
    Effect::new(move |_| {
        id();
        notice.set(None);
    });
    let detail = Resource::new(
        move || (id(), refresh.get()),
        |(id, _)| async move {
            match id {
                Some(id) => get_user(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <PageHeader title="users.detail" crumbs=vec![("console.users", "/console/users")]/>
        {move || notice.get().map(|key| view! {
            <p role="status" data-testid="action-done" class="mb-4 rounded-md border border-green-200 bg-green-50 px-3 py-2 text-sm text-green-800">{t(key)}</p>
        })}
        <Transition fallback=LoadingState>
            {move || detail.get().map(|r| match r {
                Err(AppError::NotFound) => view! { <EmptyState title=Signal::derive(t("users.not_found"))/> }.into_any(),
                Err(e) => view! { <ErrorState error=e/> }.into_any(),
                Ok(user) => view! {
                    <div class="grid gap-6 lg:grid-cols-3">
                        <div class="space-y-6 lg:col-span-2">
                            <Facts user=user.clone()/>
                            <Memberships rows=user.memberships.clone()/>
                            <RecentAudit rows=user.recent_audit.clone()/>
                        </div>
                        <div class="space-y-6">
                            {can_ban.then(|| view! { <Moderation user=user.clone() me ban unban/> })}
                            {can_assign.then(|| view! { <RoleForm user_id=user.id held=user.roles.clone() assign/> })}
                        </div>
                    </div>
                }.into_any(),
            })}
        </Transition>
    }
    .into_any()
}

#[component]
fn Fact(label: &'static str, children: Children) -> impl IntoView {
    view! {
        <div class="grid grid-cols-3 gap-4 py-2">
            <dt class="text-sm text-slate-500">{t(label)}</dt>
            <dd class="col-span-2 text-sm">{children()}</dd>
        </div>
    }
}

#[component]
fn Facts(user: UserDetail) -> impl IntoView {
    let banned = (user.status == UserStatus::Banned).then(|| {
        let reason = user.ban_reason.clone().unwrap_or_default();
        view! {
            {user.banned_at_ms.map(|ms| view! { <Fact label="users.banned_at"><Time ms/></Fact> })}
            <Fact label="users.ban_reason"><span class="whitespace-pre-wrap">{reason}</span></Fact>
        }
    });
    view! {
        <section class=CARD aria-labelledby="facts-title">
            <h2 id="facts-title" class="text-lg font-semibold" data-testid="user-email">{user.email.clone()}</h2>
            <dl class="mt-2 divide-y divide-slate-100">
                <Fact label="users.id"><span class="tabular-nums">{user.id}</span></Fact>
                <Fact label="users.col.name">{user.display_name.clone()}</Fact>
                <Fact label="users.col.status"><StatusBadge status=user.status/></Fact>
                <Fact label="users.col.roles"><RoleChips roles=user.roles.clone()/></Fact>
                <Fact label="users.created"><Time ms=user.created_at_ms/></Fact>
                {banned}
                <Fact label="users.sessions"><span class="tabular-nums" data-testid="active-sessions">{user.active_sessions}</span></Fact>
            </dl>
        </section>
    }
}

#[component]
fn Memberships(rows: Vec<Membership>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <section class=CARD aria-labelledby="memberships-title">
            <h2 id="memberships-title" class="mb-3 font-semibold">{t("users.memberships")}</h2>
            {if rows.is_empty() {
                view! { <p class="text-sm text-slate-500">{t("users.no_memberships")}</p> }.into_any()
            } else {
                view! {
                    <ul class="divide-y divide-slate-100 text-sm">
                        {rows.into_iter().map(|m| {
                            let (role, kind, status) = (m.role.clone(), m.kind.clone(), m.status.clone());
                            view! {
                                <li class="flex flex-wrap items-center justify-between gap-2 py-2">
                                    <span class="font-medium">{m.name}</span>
                                    <span class="text-slate-500">
                                        {move || label_or_raw(lang.get(), "orgs.member.", &role)} " · "
                                        {move || label_or_raw(lang.get(), "orgs.kind.", &kind)} " · "
                                        {move || label_or_raw(lang.get(), "orgs.status.", &status)}
                                    </span>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn RecentAudit(rows: Option<Vec<AuditLine>>) -> impl IntoView {
    let body = match rows {
        None => view! { <p class="text-sm text-slate-500">{t("users.audit_hidden")}</p> }.into_any(),
        Some(rows) if rows.is_empty() => view! { <p class="text-sm text-slate-500">{t("users.no_audit")}</p> }.into_any(),
        Some(rows) => view! {
            <div class="overflow-x-auto">
                <table class="min-w-full text-sm" data-testid="user-audit">
                    <caption class="sr-only">{t("users.audit_caption")}</caption>
                    <thead>
                        <tr class="text-left text-xs uppercase tracking-wide text-slate-500">
                            <th scope="col" class="py-2 pr-4">{t("users.audit.time")}</th>
                            <th scope="col" class="py-2 pr-4">{t("users.audit.action")}</th>
                            <th scope="col" class="py-2 pr-4">{t("users.audit.actor")}</th>
                            <th scope="col" class="py-2">{t("users.audit.reason")}</th>
                        </tr>
                    </thead>
                    <tbody class="divide-y divide-slate-100">
                        {rows.into_iter().map(|a| view! {
                            <tr>
                                <td class="whitespace-nowrap py-2 pr-4">
                                    <a href=format!("/console/audit/{}", a.id) class="text-indigo-700 hover:underline"><Time ms=a.at_ms/></a>
                                </td>
                                <td class="py-2 pr-4 font-mono text-xs">{a.action}</td>
                                <td class="py-2 pr-4">{match a.actor {
                                    Some(email) => email.into_any(),
                                    None => t("users.actor_system").into_any(),
                                }}</td>
                                <td class="py-2 whitespace-pre-wrap">{a.reason}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        }.into_any(),
    };
    view! {
        <section class=CARD aria-labelledby="audit-title">
            <h2 id="audit-title" class="mb-3 font-semibold">{t("users.recent_audit")}</h2>
            {body}
        </section>
    }
}

/// Ban or unban, whichever applies. Operators cannot ban themselves, so they are told instead.
#[component]
fn Moderation(user: UserDetail, me: i64, ban: ServerAction<BanUser>, unban: ServerAction<UnbanUser>) -> impl IntoView {
    if user.id == me && user.status == UserStatus::Active {
        return view! {
            <section class=CARD>
                <h2 class="font-semibold">{t("users.ban.title")}</h2>
                <p class="mt-1 text-sm text-slate-600">{t("users.ban.self")}</p>
            </section>
        }
        .into_any();
    }
    match user.status {
        UserStatus::Active => {
            let result = move || ban.value().get();
            let form = NodeRef::<html::Form>::new();
            reset_on_success(form, result);
            view! {
                <section class="rounded-xl border border-red-200 bg-white p-6" aria-labelledby="ban-title">
                    <h2 id="ban-title" class="font-semibold text-red-800">{t("users.ban.title")}</h2>
                    <p class="mt-1 text-sm text-slate-600">{t("users.ban.effect")}</p>
                    <ActionForm action=ban node_ref=form attr:class="mt-4 space-y-4" attr:data-testid="ban-form">
                        <input type="hidden" name="id" value=user.id/>
                        <ProtectedFields form="ban" reason_error=field_error(result, "reason") password_error=field_error(result, "password")/>
                        <FormAlert error=form_error(result)/>
                        <SubmitButton label="users.ban.submit" pending=ban.pending() danger=true/>
                    </ActionForm>
                </section>
            }
            .into_any()
        }
        UserStatus::Banned => {
            let result = move || unban.value().get();
            let form = NodeRef::<html::Form>::new();
            reset_on_success(form, result);
            view! {
                <section class=CARD aria-labelledby="unban-title">
                    <h2 id="unban-title" class="font-semibold">{t("users.unban.title")}</h2>
                    <p class="mt-1 text-sm text-slate-600">{t("users.unban.effect")}</p>
                    <ActionForm action=unban node_ref=form attr:class="mt-4 space-y-4" attr:data-testid="unban-form">
                        <input type="hidden" name="id" value=user.id/>
                        <ProtectedFields form="unban" reason_error=field_error(result, "reason") password_error=field_error(result, "password")/>
                        <FormAlert error=form_error(result)/>
                        <SubmitButton label="users.unban.submit" pending=unban.pending()/>
                    </ActionForm>
                </section>
            }
            .into_any()
        }
    }
}

/// One checkbox per role, all named `roles[]`, so the form posts the ticked set as a list with or
/// without JavaScript (none ticked sends no field, read as "no roles").
#[component]
fn RoleForm(user_id: i64, held: Vec<OperatorRole>, assign: ServerAction<SetUserRoles>) -> impl IntoView {
    let result = move || assign.value().get();
    let roles_error = field_error(result, "roles");
    let form = NodeRef::<html::Form>::new();
    reset_on_success(form, result);
    view! {
        <section class=CARD aria-labelledby="roles-title">
            <h2 id="roles-title" class="font-semibold">{t("users.roles.title")}</h2>
            <p class="mt-1 text-sm text-slate-600">{t("users.roles.hint")}</p>
            <ActionForm action=assign node_ref=form attr:class="mt-4 space-y-4" attr:data-testid="roles-form">
                <input type="hidden" name="id" value=user_id/>
                <fieldset aria-describedby="roles-error">
                    <legend class="text-sm font-medium text-slate-700">{t("users.roles.legend")}</legend>
                    <div class="mt-2 space-y-2">
                        {OperatorRole::ALL.into_iter().map(|role| {
                            let id = format!("role-{}", role.as_str());
                            view! {
                                <div class="flex items-center gap-2">
                                    <input type="checkbox" id=id.clone() name="roles[]" value=role.as_str() checked=held.contains(&role)
                                        class="h-4 w-4 rounded border-slate-300 text-indigo-600 focus:ring-indigo-500"/>
                                    <label for=id class="text-sm">{t(role_key(role))}</label>
                                </div>
                            }
                        }).collect_view()}
                    </div>
                    {move || roles_error.get().map(|e| view! {
                        <p id="roles-error" class="mt-1 text-sm text-red-600" data-testid="error-roles">{e}</p>
                    })}
                </fieldset>
                <ProtectedFields form="roles" reason_error=field_error(result, "reason") password_error=field_error(result, "password")/>
                <FormAlert error=form_error(result)/>
                <SubmitButton label="users.roles.submit" pending=assign.pending()/>
            </ActionForm>
        </section>
    }
}
