//! The role editor: `/console/roles` lists every role and makes custom ones from the catalog;
//! `/console/roles/:id` changes a role's grants or deletes a custom one. Each change is protected
//! (reason, password, the second factor when enrolled); the page reloads after it, so what it shows is
//! the stored state.

use super::api::{get_role, list_roles, CreateRole, DeleteRole, SetRoleGrants};
use super::model::RoleRow;
use crate::components::form::{field_error, form_error, reset_on_success};
use crate::components::styles::{CHECKBOX, CHECK_LABEL, HINT, MUTED, ROW_LINK, TD};
use crate::components::{
    notify_and_reload, DataTable, DetailResult, DoneNotice, ForbiddenState, FormAlert, ProtectedFields,
    ProtectedIdForm, Section, StatusBadge, SubmitButton, TextField, Time, Tone,
};
use crate::domain::permissions::{
    Permission, PermissionSet, ALL_PERMISSIONS, CONSOLE_VIEW, RESERVED_TO_SUPER_ADMIN, ROLES_MANAGE,
};
use crate::domain::roles::{RoleName, DESCRIPTION_MAX_CHARS, NAME_MAX_CHARS};
use crate::error::AppError;
use crate::frame::console::shell::{use_operator, PageHeader};
use crate::i18n::{t, translate, use_lang};
use crate::users::model::role_key;
use leptos::html;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};

/// A role's name as people read it: a built-in role's in the page's language, a custom one's as made.
#[component]
pub fn RoleLabel(role: RoleName) -> impl IntoView {
    match role_key(&role) {
        Some(key) => t(key).into_any(),
        None => role.as_str().to_string().into_any(),
    }
}

fn forbidden(title: &'static str) -> AnyView {
    view! { <PageHeader title crumbs=vec![]/><ForbiddenState/> }.into_any()
}

#[component]
pub fn RolesPage() -> impl IntoView {
    if !use_operator().is_some_and(|v| v.can(ROLES_MANAGE)) {
        return forbidden("console.roles");
    }
    let create = ServerAction::<CreateRole>::new();
    let (refresh, notice) = (RwSignal::new(0u32), RwSignal::new(None::<&'static str>));
    notify_and_reload(move || create.value().get(), refresh, notice, "roles.create.done");
    let roles = Resource::new(move || refresh.get(), |_| list_roles());
    view! {
        <PageHeader title="console.roles" crumbs=vec![]/>
        <p class=format!("mb-4 {MUTED}")>{t("roles.intro")}</p>
        <div class="mb-4"><DoneNotice notice/></div>
        <DetailResult resource=roles let:roles>
            <RolesTable roles/>
        </DetailResult>
        <div class="mt-6"><CreateRoleForm create/></div>
    }
    .into_any()
}

#[component]
fn RolesTable(roles: Vec<RoleRow>) -> impl IntoView {
    let columns = vec![
        "roles.col.role",
        "roles.col.kind",
        "roles.col.description",
        "roles.col.grants",
        "roles.col.holders",
        "roles.col.updated",
    ];
    view! {
        <DataTable caption="roles.caption" columns testid="roles-table">
            {roles.into_iter().map(|r| view! {
                <tr class="hover:bg-slate-50" data-testid="role-row" data-role=r.name.as_str().to_string()>
                    <td class=TD><a href=format!("/console/roles/{}", r.id) class=ROW_LINK><RoleLabel role=r.name.clone()/></a></td>
                    <td class=TD><KindBadge built_in=r.built_in/></td>
                    <td class=format!("{TD} text-slate-600")>{r.description}</td>
                    <td class=format!("{TD} tabular-nums") data-testid="role-grants">{r.grants.iter().count()}" / "{ALL_PERMISSIONS.len()}</td>
                    <td class=format!("{TD} tabular-nums") data-testid="role-holders">{r.holders}</td>
                    <td class=format!("{TD} whitespace-nowrap text-slate-500")><Time ms=r.updated_at_ms/></td>
                </tr>
            }).collect_view()}
        </DataTable>
    }
}

#[component]
fn KindBadge(built_in: bool) -> impl IntoView {
    if built_in {
        view! { <StatusBadge tone=Tone::Neutral label=t("roles.kind.built_in")/> }
    } else {
        view! { <StatusBadge tone=Tone::Info label=t("roles.kind.custom")/> }
    }
}

#[component]
fn CreateRoleForm(create: ServerAction<CreateRole>) -> impl IntoView {
    let result = move || create.value().get();
    let form = NodeRef::<html::Form>::new();
    reset_on_success(form, result);
    view! {
        <Section id="create-role-title" title=t("roles.create.title")>
            <p class=format!("mt-1 {MUTED}")>{t("roles.create.hint")}</p>
            <ActionForm action=create node_ref=form attr:class="mt-4 space-y-4" attr:data-testid="create-role-form">
                <TextField label="roles.name" name="name" autocomplete="off" maxlength=NAME_MAX_CHARS
                    hint="roles.name_hint" error=field_error(result, "name")/>
                <TextField label="roles.description" name="description" autocomplete="off" required=false
                    maxlength=DESCRIPTION_MAX_CHARS hint="roles.description_hint" error=field_error(result, "description")/>
                <GrantChecklist granted=PermissionSet::default() fixed=false error=field_error(result, "grants")/>
                <ProtectedFields form="create-role" reason_error=field_error(result, "reason") password_error=field_error(result, "password") code_error=field_error(result, "code")/>
                <FormAlert error=form_error(result)/>
                <SubmitButton label="roles.create.submit" pending=create.pending()/>
            </ActionForm>
        </Section>
    }
}

/// The catalog as checkboxes named `grants[]`, one fieldset per resource, with `granted` ticked.
/// Sensitive permissions are marked; the ones only super admins hold, and `console.view` (which
/// comes with any grant), cannot be ticked. `fixed` shows a role that cannot change (`super_admin`).
#[component]
fn GrantChecklist(granted: PermissionSet, fixed: bool, #[prop(into)] error: Signal<Option<String>>) -> impl IntoView {
    // One group per resource, in the catalog's order of first appearance.
    let mut groups: Vec<(&'static str, Vec<Permission>)> = vec![];
    for p in ALL_PERMISSIONS {
        match groups.iter_mut().find(|(resource, _)| *resource == p.resource_name()) {
            Some((_, ps)) => ps.push(p),
            None => groups.push((p.resource_name(), vec![p])),
        }
    }
    let lang = use_lang();
    view! {
        <fieldset class="min-w-0" aria-describedby="grants-error" data-testid="grant-checklist">
            <legend class="text-sm font-medium text-slate-700">{t("roles.grants.legend")}</legend>
            <div class="mt-2 grid gap-3 md:grid-cols-2 xl:grid-cols-3">
                {groups.into_iter().map(|(resource, ps)| view! {
                    <fieldset class="min-w-0 rounded-md border border-slate-200 p-3">
                        <legend class="px-1 text-xs font-semibold uppercase tracking-wide text-slate-500">
                            {move || translate(lang.get(), &format!("perm.group.{resource}"))}
                        </legend>
                        <div class="space-y-1.5">
                            {ps.into_iter().map(|p| view! { <GrantBox p granted fixed/> }).collect_view()}
                        </div>
                    </fieldset>
                }).collect_view()}
            </div>
            {move || error.get().map(|e| view! {
                <p id="grants-error" class="mt-1 text-sm text-red-600" data-testid="error-grants">{e}</p>
            })}
        </fieldset>
    }
}

#[component]
fn GrantBox(p: Permission, granted: PermissionSet, fixed: bool) -> impl IntoView {
    let name = p.name();
    let id = format!("grant-{}", name.replace('.', "-"));
    let lang = use_lang();
    let (implied, reserved) = (p == CONSOLE_VIEW, RESERVED_TO_SUPER_ADMIN.contains(&p));
    let note = match (implied, reserved) {
        (true, _) => Some("roles.implied"),
        (_, true) => Some("roles.reserved"),
        _ => None,
    };
    let label_key = format!("perm.{name}");
    view! {
        <div class="flex items-start gap-2">
            <input type="checkbox" id=id.clone() name="grants[]" value=name.clone() class=format!("mt-0.5 {CHECKBOX}")
                checked=granted.contains(p) || implied disabled=fixed || implied || reserved/>
            <label for=id class=CHECK_LABEL>
                {move || translate(lang.get(), &label_key)}
                <span class=format!("ml-1 break-all font-mono {HINT}")>{name.clone()}</span>
                {p.is_sensitive().then(|| view! {
                    <span class="ml-1 rounded bg-red-50 px-1 text-xs font-medium text-red-700">{t("roles.sensitive")}</span>
                })}
                {note.map(|k| view! { <span class=format!("ml-1 {HINT}")>"("{t(k)}")"</span> })}
            </label>
        </div>
    }
}

#[component]
pub fn RolePage() -> impl IntoView {
    if !use_operator().is_some_and(|v| v.can(ROLES_MANAGE)) {
        return forbidden("roles.detail");
    }
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id")).and_then(|s| s.parse::<i64>().ok()).filter(|id| *id > 0);
    let save = ServerAction::<SetRoleGrants>::new();
    let delete = ServerAction::<DeleteRole>::new();
    let (refresh, notice) = (RwSignal::new(0u32), RwSignal::new(None::<&'static str>));
    notify_and_reload(move || save.value().get(), refresh, notice, "roles.grants.done");
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(())) = delete.value().get() {
            navigate("/console/roles", Default::default());
        }
    });
    let role = Resource::new(
        move || (id(), refresh.get()),
        |(id, _)| async move {
            match id {
                Some(id) => get_role(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <PageHeader title="roles.detail" crumbs=vec![("console.roles", "/console/roles")]/>
        <div class="mb-4"><DoneNotice notice/></div>
        <DetailResult resource=role not_found="roles.not_found" let:role>
            <RoleDetail role save delete/>
        </DetailResult>
    }
    .into_any()
}

#[component]
fn RoleDetail(role: RoleRow, save: ServerAction<SetRoleGrants>, delete: ServerAction<DeleteRole>) -> impl IntoView {
    let fixed = role.name.is_super_admin();
    let deletable = !role.built_in;
    let holders = format!("/console/users?role={}", role.name.as_str());
    view! {
        <div class="space-y-6">
            <section class="rounded-xl border border-slate-200 bg-white p-5 shadow-sm" data-testid="role-summary">
                <h2 class="text-lg font-semibold" data-testid="role-name"><RoleLabel role=role.name.clone()/></h2>
                <p class="mt-1 flex flex-wrap items-center gap-2 text-sm text-slate-600">
                    <span class="font-mono">{role.name.as_str().to_string()}</span>
                    <KindBadge built_in=role.built_in/>
                    <span>{t("roles.col.holders")}": "{role.holders}</span>
                    <a href=holders class=ROW_LINK>{t("roles.holders_link")}</a>
                </p>
                {(!role.description.is_empty()).then(|| view! { <p class="mt-2 text-sm">{role.description.clone()}</p> })}
            </section>
            <GrantsForm role_id=role.id granted=role.grants fixed save/>
            {deletable.then(|| view! {
                <Section id="delete-role-title" title=t("roles.delete.title")>
                    <p class="mt-1 text-sm text-slate-600">{t("roles.delete.effect")}</p>
                    <ProtectedIdForm action=delete id=role.id form="delete-role" submit="roles.delete.submit" danger=true/>
                </Section>
            })}
        </div>
    }
}

#[component]
fn GrantsForm(role_id: i64, granted: PermissionSet, fixed: bool, save: ServerAction<SetRoleGrants>) -> impl IntoView {
    let result = move || save.value().get();
    view! {
        <Section id="grants-title" title=t("roles.grants.title")>
            {if fixed {
                view! {
                    <p class="mt-1 text-sm text-slate-600" data-testid="super-admin-fixed">{t("roles.grants.super_admin")}</p>
                    <div class="mt-4"><GrantChecklist granted fixed error=Signal::derive(|| None::<String>)/></div>
                }.into_any()
            } else {
                view! {
                    <ActionForm action=save attr:class="mt-4 space-y-4" attr:data-testid="grants-form">
                        <input type="hidden" name="id" value=role_id/>
                        <GrantChecklist granted fixed error=field_error(result, "grants")/>
                        <ProtectedFields form="grants" reason_error=field_error(result, "reason") password_error=field_error(result, "password") code_error=field_error(result, "code")/>
                        <FormAlert error=form_error(result)/>
                        <SubmitButton label="roles.grants.submit" pending=save.pending()/>
                    </ActionForm>
                }.into_any()
            }}
        </Section>
    }
}
