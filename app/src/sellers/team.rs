//! `/seller/team`: the owner adds staff by the email of an existing account and removes them; staff
//! see the team read-only.

use super::api::{my_seller_team, InviteSellerStaff, RemoveSellerStaff};
use super::model::{MemberRow, Team};
use super::pages::SellerStatusBadge;
use crate::components::form::{field_error, form_error, reset_on_success};
use crate::components::list::empty_state;
use crate::components::notify_and_reload;
use crate::components::styles::{CARD, LINK, TD};
use crate::components::{DataTable, DetailResult, DoneNotice, FormAlert, SubmitButton, TextField, Time};
use crate::domain::seller::MemberRole;
use crate::error::AppError;
use crate::i18n::{t, translate, use_lang};
use crate::session::use_session;
use leptos::html;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;

#[component]
pub fn TeamPage() -> impl IntoView {
    let session = use_session();
    view! {
        <Title text=crate::i18n::title("sellers.team.title")/>
        {move || match session.viewer.get() {
            None => view! { <Redirect path="/signin?next=/seller/team"/> }.into_any(),
            Some(_) => view! { <TeamView/> }.into_any(),
        }}
    }
}

#[component]
fn TeamView() -> impl IntoView {
    let refresh = RwSignal::new(0u32);
    let notice = RwSignal::new(None::<&'static str>);
    let invite = ServerAction::<InviteSellerStaff>::new();
    let remove = ServerAction::<RemoveSellerStaff>::new();
    notify_and_reload(move || invite.value().get(), refresh, notice, "sellers.team.invited");
    notify_and_reload(move || remove.value().get(), refresh, notice, "sellers.team.removed");
    let team = Resource::new(move || refresh.get(), |_| my_seller_team());
    view! {
        <div class="mx-auto max-w-3xl space-y-6">
            <header>
                <a href="/seller" class="text-sm text-slate-500 hover:underline">{t("sellers.team.back")}</a>
                <h1 class="mt-1 text-2xl font-semibold tracking-tight">{t("sellers.team.title")}</h1>
            </header>
            <DoneNotice notice/>
            <DetailResult resource=team on_error=not_seller let:team>
                <TeamBody team invite remove/>
            </DetailResult>
        </div>
    }
}

/// A signed-in user who is not in a seller: the way to apply.
fn not_seller(e: AppError) -> Option<AnyView> {
    (e == AppError::Forbidden).then(|| {
        view! {
            {empty_state("sellers.team.not_seller", Some("sellers.team.not_seller_hint"))}
            <p class="text-center"><a href="/sell" class=format!("text-sm font-medium {LINK}")>{t("sellers.apply.title")}</a></p>
        }
        .into_any()
    })
}

#[component]
fn TeamBody(
    team: Team,
    invite: ServerAction<InviteSellerStaff>,
    remove: ServerAction<RemoveSellerStaff>,
) -> impl IntoView {
    let owner = team.my_role == MemberRole::Owner;
    let remove_result = move || remove.value().get();
    view! {
        <section class=CARD aria-labelledby="team-title">
            <div class="flex flex-wrap items-center justify-between gap-2">
                <h2 id="team-title" class="font-semibold">{team.organisation_name.clone()}</h2>
                <SellerStatusBadge status=team.status/>
            </div>
            <p class="mt-1 text-sm text-slate-600">{t(if owner { "sellers.team.owner_hint" } else { "sellers.team.staff_hint" })}</p>
            <Members rows=team.members.clone() remove=owner.then_some(remove)/>
            <FormAlert error=form_error(remove_result)/>
        </section>
        {owner.then(|| view! { <InviteForm invite/> })}
    }
}

#[component]
fn Members(rows: Vec<MemberRow>, remove: Option<ServerAction<RemoveSellerStaff>>) -> impl IntoView {
    let lang = use_lang();
    let mut columns =
        vec!["sellers.team.col.name", "sellers.team.col.email", "sellers.team.col.role", "sellers.team.col.added"];
    columns.extend(remove.is_some().then_some("sellers.team.col.actions"));
    view! {
        <div class="mt-4">
            <DataTable caption="sellers.team.caption" columns testid="team-table">
                    {rows.into_iter().map(|m| {
                        let role_key = if m.role == MemberRole::Owner { "orgs.member.owner" } else { "orgs.member.staff" };
                        let label = m.email.clone();
                        view! {
                            <tr data-testid="member-row">
                                <td class=format!("{TD} font-medium")>{m.display_name.clone()}</td>
                                <td class=TD>{m.email.clone()}</td>
                                <td class=TD>{t(role_key)}</td>
                                <td class=format!("{TD} whitespace-nowrap text-slate-500")><Time ms=m.added_at_ms/></td>
                                {remove.map(|remove| view! {
                                    <td class=format!("{TD} text-right")>
                                        {(m.role == MemberRole::Staff).then(|| view! {
                                            <ActionForm action=remove>
                                                <input type="hidden" name="user_id" value=m.user_id/>
                                                <button type="submit" class="rounded-md px-2 py-1 text-red-700 hover:bg-red-50"
                                                    aria-label=move || format!("{} {}", translate(lang.get(), "sellers.team.remove"), label)>
                                                    {t("sellers.team.remove")}
                                                </button>
                                            </ActionForm>
                                        })}
                                    </td>
                                })}
                            </tr>
                        }
                    }).collect_view()}
            </DataTable>
        </div>
    }
}

#[component]
fn InviteForm(invite: ServerAction<InviteSellerStaff>) -> impl IntoView {
    let result = move || invite.value().get();
    let form = NodeRef::<html::Form>::new();
    reset_on_success(form, result);
    view! {
        <section class=CARD aria-labelledby="invite-title">
            <h2 id="invite-title" class="font-semibold">{t("sellers.team.invite_title")}</h2>
            <p class="mt-1 text-sm text-slate-600">{t("sellers.team.invite_hint")}</p>
            <ActionForm action=invite node_ref=form attr:class="mt-4 space-y-3" attr:data-testid="invite-form">
                <TextField label="sellers.team.email" name="email" kind="email" autocomplete="off" maxlength=254 error=field_error(result, "email")/>
                <FormAlert error=form_error(result)/>
                <SubmitButton label="sellers.team.invite" pending=invite.pending()/>
            </ActionForm>
        </section>
    }
}
