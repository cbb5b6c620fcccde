//! The notification preferences page (account area) and the public unsubscribe page.

use super::preference_model::{choice_value, PreferenceRow, UnsubscribeTarget};
use super::preferences_api::{notification_preferences, unsubscribe_preview, SaveNotificationPreferences, Unsubscribe};
use crate::components::form::{field_error, form_error};
use crate::components::styles::{CARD, CHECKBOX, H1, LINK, MUTED, NOTICE, TABLE, TABLE_WRAP, TBODY, TD, TH, THEAD};
use crate::components::{query_param, DetailResult, FormAlert, SubmitButton};
use crate::i18n::{fill, t, translate, use_lang};
use crate::session::use_session;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;

fn category_label(lang: crate::i18n::Lang, category: &str) -> String {
    translate(lang, &format!("prefs.category.{category}"))
}

#[component]
pub fn PreferencesPage() -> impl IntoView {
    let session = use_session();
    view! {
        <Title text=crate::i18n::title("prefs.title")/>
        {move || match session.viewer.get() {
            None => view! { <Redirect path="/signin?next=/account/notifications"/> }.into_any(),
            Some(_) => view! { <PreferencesForm/> }.into_any(),
        }}
    }
}

#[component]
fn PreferencesForm() -> impl IntoView {
    let save = ServerAction::<SaveNotificationPreferences>::new();
    let grid = Resource::new(move || save.version().get(), |_| notification_preferences());
    let result = move || save.value().get();
    view! {
        <div class="mx-auto max-w-2xl space-y-4">
            <h1 class=H1>{t("prefs.title")}</h1>
            <p class=MUTED>{t("prefs.hint")}</p>
            <DetailResult resource=grid let:rows>
                <ActionForm action=save attr:class="space-y-4" attr:data-testid="preferences-form">
                    <PreferenceGrid rows/>
                    {move || field_error(result, "on").get().map(|e| view! { <p class="text-sm text-red-600">{e}</p> })}
                    <FormAlert error=form_error(result)/>
                    {move || matches!(result(), Some(Ok(()))).then(|| view! {
                        <p role="status" class=NOTICE>{t("prefs.saved")}</p>
                    })}
                    <SubmitButton label="prefs.save" pending=save.pending()/>
                </ActionForm>
            </DetailResult>
        </div>
    }
}

#[component]
fn PreferenceGrid(rows: Vec<PreferenceRow>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <div class=TABLE_WRAP>
            <table class=TABLE>
                <thead class=THEAD>
                    <tr>
                        <th scope="col" class=TH>{t("prefs.category")}</th>
                        <th scope="col" class=TH>{t("prefs.channel.in_app")}</th>
                        <th scope="col" class=TH>{t("prefs.channel.email")}</th>
                    </tr>
                </thead>
                <tbody class=TBODY>
                    {rows.into_iter().map(|row| {
                        let category = row.category.clone();
                        let label = { let c = category.clone(); move || category_label(lang.get(), &c) };
                        let cells = [("in_app", row.in_app), ("email", row.email)].map(|(channel, on)| {
                            view! { <td class=TD><Toggle category=category.clone() channel on always_on=row.always_on/></td> }
                        });
                        view! {
                            <tr>
                                <th scope="row" class=format!("{TD} text-left font-medium")>
                                    {label}
                                    {row.always_on.then(|| view! { <span class="ml-2 text-xs text-slate-500">{t("prefs.always_on")}</span> })}
                                </th>
                                {cells.into_iter().collect_view()}
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// One checkbox of the grid, labelled "<category>: <channel>" for screen readers. Always-on
/// categories are ticked and disabled (and not sent: the server never stores them).
#[component]
fn Toggle(category: String, channel: &'static str, on: bool, always_on: bool) -> impl IntoView {
    let lang = use_lang();
    let value = choice_value(&category, channel);
    let label = move || {
        let channel = translate(lang.get(), &format!("prefs.channel.{channel}"));
        fill(
            &translate(lang.get(), "prefs.toggle"),
            &[("category", category_label(lang.get(), &category)), ("channel", channel)],
        )
    };
    view! {
        <input type="checkbox" name="on[]" value=value.clone() checked=on disabled=always_on class=CHECKBOX
            aria-label=label data-testid=format!("pref-{value}")/>
    }
}

#[component]
pub fn UnsubscribePage() -> impl IntoView {
    let token = query_param("token");
    let apply = ServerAction::<Unsubscribe>::new();
    let target = Resource::new(token, |token| async move {
        match token {
            Some(token) => unsubscribe_preview(token).await,
            None => Err(crate::error::AppError::invalid("token", "unsubscribe.missing")),
        }
    });
    let lang = use_lang();
    let describe = move |key: &'static str, target: &UnsubscribeTarget| {
        fill(
            &translate(lang.get(), key),
            &[("category", category_label(lang.get(), &target.category)), ("email", target.email.clone())],
        )
    };
    view! {
        <Title text=crate::i18n::title("unsubscribe.title")/>
        <div class="mx-auto max-w-xl space-y-4">
            <h1 class=H1>{t("unsubscribe.title")}</h1>
            <DetailResult resource=target let:target>
                <section class=CARD data-testid="unsubscribe">
                    {move || match apply.value().get() {
                        Some(Ok(done)) => view! {
                            <p role="status" class=NOTICE data-testid="unsubscribe-done">{describe("unsubscribe.done", &done)}</p>
                        }.into_any(),
                        _ => {
                            let target = target.clone();
                            let result = move || apply.value().get();
                            view! {
                                <p class="mb-4 text-sm">{move || describe("unsubscribe.what", &target)}</p>
                                <ActionForm action=apply>
                                    <input type="hidden" name="token" value=move || token().unwrap_or_default()/>
                                    <FormAlert error=form_error(result)/>
                                    <SubmitButton label="unsubscribe.confirm" pending=apply.pending()/>
                                </ActionForm>
                            }.into_any()
                        }
                    }}
                </section>
            </DetailResult>
            <p class="text-sm"><a href="/account/notifications" class=LINK>{t("unsubscribe.manage")}</a></p>
        </div>
    }
}
