//! One user: the facts an operator needs before acting, and the protected actions their roles allow
//! (ban or unban and signing out everywhere with `users.ban`; editing the profile, tags and note and
//! resetting the password with `users.manage`; roles with `roles.assign`). Each action asks for a reason and the
//! operator's password; after it succeeds the page reloads the user, so what it shows is the new state.

use super::console::{tone, RoleChips, TagChips};
use super::console_contact::{ContactForm, PhoneField};
use super::console_edit::{ProfileForm, RecordForm};
use crate::components::form::{field_error, form_error, reset_on_success};
use crate::components::query_param;
use crate::components::styles::{CARD_DANGER, CHECKBOX, TD_INLINE};
use crate::components::{
    label_or_raw, notify_and_reload, DetailResult, DoneNotice, Field, Fields, ForbiddenState, FormAlert, InlineTable,
    NoneYet, ProtectedFields, ProtectedIdForm, Section, SelectField, StatusBadge, SubmitButton, TabLinks, Time,
};
use crate::domain::ban::{BanCategory, BanDuration};
use crate::domain::permissions::{ROLES_ASSIGN, USERS_BAN, USERS_MANAGE, USERS_REVEAL, USERS_VIEW};
use crate::domain::roles::RoleName;
use crate::error::AppError;
use crate::frame::console::shell::{use_operator, PageHeader};
use crate::i18n::{t, use_lang};
use crate::users::api::{
    get_user, BanUser, EditUserContact, EditUserProfile, EditUserRecord, EndUserSessions, RemoveUserSecondFactor,
    ResetUserPassword, SetUserRoles, UnbanUser,
};
use crate::users::model::{AuditLine, Membership, UserDetail, UserKind, UserStatus};
use crate::users::roles::pages::RoleLabel;
use leptos::html;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// The page's tabs: (value of `?tab=`, message key of the label); the first is the default.
const TABS: [(&str, &str); 7] = [
    ("profile", "users.tab.profile"),
    ("roles", "users.tab.roles"),
    ("sessions", "users.tab.sessions"),
    ("orders", "users.tab.orders"),
    ("organisations", "users.tab.organisations"),
    ("notes", "users.tab.notes"),
    ("audit", "users.tab.audit"),
];

/// A tab's two columns: what the user is, and what the operator may do about it.
const GRID: &str = "grid gap-6 lg:grid-cols-3";
const MAIN: &str = "space-y-6 lg:col-span-2";
const SIDE: &str = "space-y-6";

#[component]
pub fn UserDetailPage() -> impl IntoView {
    let Some(operator) = use_operator().filter(|v| v.can(USERS_VIEW)) else {
        return view! { <PageHeader title="users.detail" crumbs=vec![("console.users", "/console/users")]/><ForbiddenState/> }
            .into_any();
    };
    let (me, can_ban, can_assign) = (operator.user_id, operator.can(USERS_BAN), operator.can(ROLES_ASSIGN));
    let (can_manage, can_reveal) = (operator.can(USERS_MANAGE), operator.can(USERS_REVEAL));
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id")).and_then(|s| s.parse::<i64>().ok()).filter(|id| *id > 0);
    let ban = ServerAction::<BanUser>::new();
    let unban = ServerAction::<UnbanUser>::new();
    let assign = ServerAction::<SetUserRoles>::new();
    let sign_out = ServerAction::<EndUserSessions>::new();
    let reset = ServerAction::<ResetUserPassword>::new();
    let remove_factor = ServerAction::<RemoveUserSecondFactor>::new();
    let edit_profile = ServerAction::<EditUserProfile>::new();
    let edit_record = ServerAction::<EditUserRecord>::new();
    let edit_contact = ServerAction::<EditUserContact>::new();
    // Reload only after a success: a failed attempt keeps the form as typed, next to its error.
    let refresh = RwSignal::new(0u32);
    let notice = RwSignal::new(None::<&'static str>);
    notify_and_reload(move || ban.value().get(), refresh, notice, "users.ban.done");
    notify_and_reload(move || unban.value().get(), refresh, notice, "users.unban.done");
    notify_and_reload(move || assign.value().get(), refresh, notice, "users.roles.done");
    notify_and_reload(move || sign_out.value().get(), refresh, notice, "users.sessions_end.done");
    notify_and_reload(move || reset.value().get(), refresh, notice, "users.password_reset.done");
    notify_and_reload(move || remove_factor.value().get(), refresh, notice, "users.second_factor_remove.done");
    notify_and_reload(move || edit_profile.value().get(), refresh, notice, "users.edit.done");
    notify_and_reload(move || edit_record.value().get(), refresh, notice, "users.edit.done");
    notify_and_reload(move || edit_contact.value().get(), refresh, notice, "users.edit.done");
    Effect::new(move |_| {
        id();
        notice.set(None);
    });
    let tab_param = query_param("tab");
    let tab = Memo::new(move |_| {
        tab_param().filter(|v| TABS.iter().any(|(t, _)| t == v)).unwrap_or_else(|| TABS[0].0.to_string())
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
        <div class="mb-4"><DoneNotice notice/></div>
        <DetailResult resource=detail not_found="users.not_found" let:user>
            <TabLinks label="users.tabs" path=format!("/console/users/{}", user.id) tabs=TABS.to_vec() current=tab/>
            {
                let user = user.clone();
                move || {
                    let user = user.clone();
                    match tab.get().as_str() {
                        "roles" => {
                            let (shown, held) = (user.roles.clone(), user.roles.clone());
                            view! {
                                <div class=GRID>
                                    <div class=MAIN>
                                        <Section id="roles-title" title=t("users.col.roles")><RoleChips roles=shown.clone()/></Section>
                                    </div>
                                    <div class=SIDE>
                                        {can_assign.then(|| view! { <RoleForm user_id=user.id held=held.clone() offered=user.assignable_roles.clone() assign/> })}
                                    </div>
                                </div>
                            }
                            .into_any()
                        }
                        "sessions" => view! {
                            <div class=GRID>
                                <div class=MAIN><SessionFacts user=user.clone()/></div>
                                <div class=SIDE>
                                    {can_ban.then(|| view! { <SignOutEverywhere user_id=user.id sessions=user.active_sessions sign_out/> })}
                                </div>
                            </div>
                        }.into_any(),
                        "orders" => view! { <super::console_orders::UserOrders user_id=user.id/> }.into_any(),
                        "organisations" => view! { <Memberships rows=user.memberships.clone()/> }.into_any(),
                        "notes" => view! {
                            <div class=GRID>
                                <div class=MAIN><NoteFacts user=user.clone()/></div>
                                <div class=SIDE>{can_manage.then(|| view! { <RecordForm user=user.clone() edit=edit_record/> })}</div>
                            </div>
                        }.into_any(),
                        "audit" => view! { <RecentAudit rows=user.recent_audit.clone()/> }.into_any(),
                        _ => view! {
                            <div class=GRID>
                                <div class=MAIN><Facts user=user.clone() can_reveal/></div>
                                <div class=SIDE>
                                    {user.deletion.clone().filter(|_| can_manage && user.id != me).map(|row| view! {
                                        <crate::users::deletion::pages::DeletionDecision row refresh notice/>
                                    })}
                                    {can_ban.then(|| view! { <Moderation user=user.clone() me ban unban/> })}
                                    {can_manage.then(|| view! { <ProfileForm user=user.clone() edit=edit_profile/> })}
                                    {can_manage.then(|| view! { <ContactForm user=user.clone() edit=edit_contact/> })}
                                    {(can_manage && user.id != me && user.status == UserStatus::Active)
                                        .then(|| view! { <ResetPassword user_id=user.id reset/> })}
                                    {(can_manage && user.id != me && user.second_factor)
                                        .then(|| view! { <RemoveSecondFactor user_id=user.id remove=remove_factor/> })}
                                </div>
                            </div>
                        }.into_any(),
                    }
                }
            }
        </DetailResult>
    }
    .into_any()
}

#[component]
fn Facts(user: UserDetail, can_reveal: bool) -> impl IntoView {
    let banned = (user.status == UserStatus::Banned).then(|| {
        let reason = user.ban_reason.clone().unwrap_or_default();
        let ends = match user.ban_ends_at_ms {
            Some(ms) => view! { <Time ms/> }.into_any(),
            None => t("ban.never_ends").into_any(),
        };
        view! {
            {user.banned_at_ms.map(|ms| view! { <Field label="users.banned_at"><Time ms/></Field> })}
            {user.ban_category.map(|c| view! { <Field label="users.ban_category"><span data-testid="ban-category">{t(c.label_key())}</span></Field> })}
            <Field label="users.ban_ends"><span data-testid="ban-ends">{ends}</span></Field>
            <Field label="users.ban_reason"><span class="whitespace-pre-wrap">{reason}</span></Field>
        }
    });
    let email = user.email.clone();
    let kind = UserKind::of(!user.roles.is_empty(), !user.memberships.is_empty());
    view! {
        <Section id="facts-title" title=move || email.clone()>
            <Fields>
                <Field label="users.col.email"><span data-testid="user-email">{user.email.clone()}</span></Field>
                <Field label="users.id"><span class="tabular-nums">{user.id}</span></Field>
                <Field label="users.col.name">{user.display_name.clone()}</Field>
                <Field label="users.col.status">
                    <StatusBadge tone=tone(user.status) label=t(user.status.label_key()) testid="status-badge"/>
                </Field>
                <PhoneField user_id=user.id masked=user.phone_masked.clone() can_reveal/>
                <Field label="users.col.roles"><RoleChips roles=user.roles.clone()/></Field>
                <Field label="users.kind"><span data-testid="user-kind">{t(kind.label_key())}</span></Field>
                <Field label="users.created"><span data-testid="user-created"><Time ms=user.created_at_ms/></span></Field>
                <Field label="users.email_verified">
                    {t(if user.email_verified { "users.email_verified.yes" } else { "users.email_verified.no" })}
                </Field>
                <Field label="users.col.last_sign_in">
                    {match user.last_sign_in_at_ms {
                        Some(ms) => view! { <Time ms/> }.into_any(),
                        None => t("users.never_signed_in").into_any(),
                    }}
                </Field>
                <Field label="users.sign_in_count"><span class="tabular-nums" data-testid="sign-in-count">{user.sign_in_count}</span></Field>
                {banned}
                <Field label="users.second_factor">
                    <span data-testid="second-factor-state">
                        {t(if user.second_factor { "users.second_factor.on" } else { "users.second_factor.off" })}
                    </span>
                </Field>
                <Field label="users.password">
                    <span data-testid="password-state">
                        {t(if user.password_set { "users.password.set" } else { "users.password.unset" })}
                    </span>
                </Field>
            </Fields>
        </Section>
    }
}

/// The sessions tab's facts: how many sessions would let the user in now, and their sign-ins.
#[component]
fn SessionFacts(user: UserDetail) -> impl IntoView {
    view! {
        <Section id="session-facts-title" title=t("users.tab.sessions")>
            <Fields>
                <Field label="users.sessions"><span class="tabular-nums" data-testid="active-sessions">{user.active_sessions}</span></Field>
                <Field label="users.col.last_sign_in">
                    {match user.last_sign_in_at_ms {
                        Some(ms) => view! { <Time ms/> }.into_any(),
                        None => t("users.never_signed_in").into_any(),
                    }}
                </Field>
                <Field label="users.second_factor">
                    {t(if user.second_factor { "users.second_factor.on" } else { "users.second_factor.off" })}
                </Field>
            </Fields>
        </Section>
    }
}

/// The notes tab's facts: the tags and the internal note, as the platform team keeps them.
#[component]
fn NoteFacts(user: UserDetail) -> impl IntoView {
    view! {
        <Section id="note-facts-title" title=t("users.tab.notes")>
            <Fields>
                <Field label="users.tags"><span data-testid="user-tags"><TagChips tags=user.tags.clone()/></span></Field>
                <Field label="users.note">
                    <span class="whitespace-pre-wrap" data-testid="user-note">
                        {if user.internal_note.is_empty() { "—".to_string() } else { user.internal_note.clone() }}
                    </span>
                </Field>
            </Fields>
        </Section>
    }
}

#[component]
fn Memberships(rows: Vec<Membership>) -> impl IntoView {
    let lang = use_lang();
    let body = if rows.is_empty() {
        view! { <NoneYet key="users.no_memberships"/> }.into_any()
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
        }
        .into_any()
    };
    view! { <Section id="memberships-title" title=t("users.memberships")>{body}</Section> }
}

#[component]
fn RecentAudit(rows: Option<Vec<AuditLine>>) -> impl IntoView {
    let body = match rows {
        None => view! { <NoneYet key="users.audit_hidden"/> }.into_any(),
        Some(rows) if rows.is_empty() => view! { <NoneYet key="users.no_audit"/> }.into_any(),
        Some(rows) => view! { <AuditLines rows/> }.into_any(),
    };
    view! { <Section id="audit-title" title=t("users.recent_audit")>{body}</Section> }
}

/// The user's latest audit entries, each linking to the whole entry.
#[component]
fn AuditLines(rows: Vec<AuditLine>) -> impl IntoView {
    let columns = vec!["users.audit.time", "users.audit.action", "users.audit.actor", "users.audit.reason"];
    view! {
        <InlineTable caption="users.audit_caption" columns=columns testid="user-audit">
                    {rows.into_iter().map(|a| view! {
                        <tr>
                            <td class=format!("{TD_INLINE} whitespace-nowrap")>
                                <a href=format!("/console/audit/{}", a.id) class="text-indigo-700 hover:underline"><Time ms=a.at_ms/></a>
                            </td>
                            <td class=format!("{TD_INLINE} font-mono text-xs")>{a.action}</td>
                            <td class=TD_INLINE>{match a.actor {
                                Some(email) => email.into_any(),
                                None => t("users.actor_system").into_any(),
                            }}</td>
                            <td class=format!("{TD_INLINE} whitespace-pre-wrap")>{a.reason}</td>
                        </tr>
                    }).collect_view()}
        </InlineTable>
    }
}

fn ban_categories() -> Vec<(&'static str, String)> {
    BanCategory::ALL.into_iter().map(|c| (c.as_str(), c.label_key().to_string())).collect()
}

fn ban_durations() -> Vec<(&'static str, String)> {
    BanDuration::ALL.into_iter().map(|d| (d.as_str(), d.label_key().to_string())).collect()
}

/// Ban or unban, whichever applies. Operators cannot ban themselves, so they are told instead.
#[component]
fn Moderation(user: UserDetail, me: i64, ban: ServerAction<BanUser>, unban: ServerAction<UnbanUser>) -> impl IntoView {
    if user.id == me && user.status == UserStatus::Active {
        return view! {
            <Section id="ban-title" title=t("users.ban.title")>
                <p class="mt-1 text-sm text-slate-600">{t("users.ban.self")}</p>
            </Section>
        }
        .into_any();
    }
    match user.status {
        UserStatus::Active => {
            let result = move || ban.value().get();
            let form = NodeRef::<html::Form>::new();
            reset_on_success(form, result);
            view! {
                <Section id="ban-title" title=t("users.ban.title") class=CARD_DANGER>
                    <p class="mt-1 text-sm text-slate-600">{t("users.ban.effect")}</p>
                    <ActionForm action=ban node_ref=form attr:class="mt-4 space-y-4" attr:data-testid="ban-form">
                        <input type="hidden" name="id" value=user.id/>
                        <SelectField label="users.ban.category" name="category" options=ban_categories()
                            placeholder="users.ban.category_required" error=field_error(result, "category")/>
                        <p class="text-xs text-slate-500">{t("users.ban.category_hint")}</p>
                        <SelectField label="users.ban.duration" name="duration" options=ban_durations()
                            placeholder="users.ban.duration_required" error=field_error(result, "duration")/>
                        <ProtectedFields form="ban" reason_error=field_error(result, "reason") password_error=field_error(result, "password") code_error=field_error(result, "code")/>
                        <FormAlert error=form_error(result)/>
                        <SubmitButton label="users.ban.submit" pending=ban.pending() danger=true/>
                    </ActionForm>
                </Section>
            }
            .into_any()
        }
        // An account deleted at its owner's request is restored from its deletion request instead.
        UserStatus::Deleted => ().into_any(),
        UserStatus::Banned => view! {
            <Section id="unban-title" title=t("users.unban.title")>
                <p class="mt-1 text-sm text-slate-600">{t("users.unban.effect")}</p>
                <ProtectedIdForm action=unban id=user.id form="unban" submit="users.unban.submit"/>
            </Section>
        }
        .into_any(),
    }
}

/// Ends every session of the user (a stolen or shared sign-in, a lost device); with none, says so.
#[component]
fn SignOutEverywhere(user_id: i64, sessions: i64, sign_out: ServerAction<EndUserSessions>) -> impl IntoView {
    if sessions == 0 {
        return view! {
            <Section id="sessions-end-title" title=t("users.sessions_end.title")>
                <p class="mt-1 text-sm text-slate-600" data-testid="no-sessions">{t("users.sessions_end.none")}</p>
            </Section>
        }
        .into_any();
    }
    view! {
        <Section id="sessions-end-title" title=t("users.sessions_end.title")>
            <p class="mt-1 text-sm text-slate-600">{t("users.sessions_end.effect")}</p>
            <ProtectedIdForm action=sign_out id=user_id form="sessions-end" submit="users.sessions_end.submit" danger=true/>
        </Section>
    }
    .into_any()
}

/// Unsets the user's password, signs them out everywhere and mails them a link to choose a new one.
/// Not offered on one's own page (the account page changes one's password) nor for a banned user.
#[component]
fn ResetPassword(user_id: i64, reset: ServerAction<ResetUserPassword>) -> impl IntoView {
    view! {
        <Section id="password-reset-title" title=t("users.password_reset.title")>
            <p class="mt-1 text-sm text-slate-600">{t("users.password_reset.effect")}</p>
            <ProtectedIdForm action=reset id=user_id form="password-reset" submit="users.password_reset.submit" danger=true/>
        </Section>
    }
}

/// Removes the user's second factor: they lost the phone and the recovery codes, and the support
/// desk checked who is asking. They sign in with the password alone until they set it up again.
#[component]
fn RemoveSecondFactor(user_id: i64, remove: ServerAction<RemoveUserSecondFactor>) -> impl IntoView {
    view! {
        <Section id="second-factor-remove-title" title=t("users.second_factor_remove.title")>
            <p class="mt-1 text-sm text-slate-600">{t("users.second_factor_remove.effect")}</p>
            <ProtectedIdForm action=remove id=user_id form="second-factor-remove" submit="users.second_factor_remove.submit" danger=true/>
        </Section>
    }
}

/// One checkbox per role, all named `roles[]`, so the form posts the ticked set as a list with or
/// without JavaScript (none ticked sends no field, read as "no roles").
#[component]
fn RoleForm(
    user_id: i64,
    held: Vec<RoleName>,
    offered: Vec<RoleName>,
    assign: ServerAction<SetUserRoles>,
) -> impl IntoView {
    let result = move || assign.value().get();
    let roles_error = field_error(result, "roles");
    let form = NodeRef::<html::Form>::new();
    reset_on_success(form, result);
    view! {
        <Section id="roles-title" title=t("users.roles.title")>
            <p class="mt-1 text-sm text-slate-600">{t("users.roles.hint")}</p>
            <ActionForm action=assign node_ref=form attr:class="mt-4 space-y-4" attr:data-testid="roles-form">
                <input type="hidden" name="id" value=user_id/>
                <fieldset aria-describedby="roles-error">
                    <legend class="text-sm font-medium text-slate-700">{t("users.roles.legend")}</legend>
                    <div class="mt-2 space-y-2">
                        {offered.into_iter().map(|role| {
                            let id = format!("role-{}", role.as_str());
                            view! {
                                <div class="flex items-center gap-2">
                                    <input type="checkbox" id=id.clone() name="roles[]" value=role.as_str().to_string()
                                        checked=held.contains(&role) class=CHECKBOX/>
                                    <label for=id class="text-sm"><RoleLabel role/></label>
                                </div>
                            }
                        }).collect_view()}
                    </div>
                    {move || roles_error.get().map(|e| view! {
                        <p id="roles-error" class="mt-1 text-sm text-red-600" data-testid="error-roles">{e}</p>
                    })}
                </fieldset>
                <ProtectedFields form="roles" reason_error=field_error(result, "reason") password_error=field_error(result, "password") code_error=field_error(result, "code")/>
                <FormAlert error=form_error(result)/>
                <SubmitButton label="users.roles.submit" pending=assign.pending()/>
            </ActionForm>
        </Section>
    }
}
