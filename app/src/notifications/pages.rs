use super::api::{list_notifications, MarkNotificationsRead, Notification};
use crate::components::styles::{BUTTON_LINK, CARD_BARE, H1};
use crate::components::{query_param, ListResult, StatusBadge, Time, Tone};
use crate::i18n::{fill, t, translate, use_lang};
use leptos::prelude::*;
use leptos_meta::Title;

fn render_text(lang: crate::i18n::Lang, n: &Notification) -> String {
    let params: Vec<(&str, String)> = n.params.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
    fill(&translate(lang, &format!("notify.{}", n.kind)), &params)
}

#[component]
pub fn NotificationsPage() -> impl IntoView {
    let cursor = query_param("cursor");
    let mark = ServerAction::<MarkNotificationsRead>::new();
    let list = Resource::new(move || (cursor(), mark.version().get()), |(c, _)| list_notifications(c));
    let read = super::components::notifications_read();
    Effect::new(move |_| {
        if let Some(Ok(())) = mark.value().get() {
            read.update(|n| *n += 1);
        }
    });
    view! {
        <Title text=crate::i18n::title("notify.title")/>
        <div class="mx-auto max-w-2xl">
            <div class="mb-4 flex items-center justify-between">
                <h1 class=H1>{t("notify.title")}</h1>
                <ActionForm action=mark>
                    <button type="submit" class=BUTTON_LINK>{t("notify.mark_all_read")}</button>
                </ActionForm>
            </div>
            <ListResult resource=list empty="notify.empty" let:rows>
                <NotificationList rows mark/>
            </ListResult>
        </div>
    }
}

#[component]
fn NotificationList(rows: Vec<Notification>, mark: ServerAction<MarkNotificationsRead>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <ul class=format!("divide-y divide-slate-200 {CARD_BARE}") data-testid="notification-list">
            {rows.into_iter().map(|n| {
                let text = { let n = n.clone(); move || render_text(lang.get(), &n) };
                let id = n.id;
                view! {
                    <li class="flex items-start justify-between gap-3 p-4">
                        <div>
                            {(!n.read).then(|| view! { <span class="mr-2"><StatusBadge tone=Tone::Progress label=t("notify.unread")/></span> })}
                            <span class="text-sm">{text}</span>
                            <p class="mt-1 text-xs text-slate-500"><Time ms=n.created_at_ms/></p>
                        </div>
                        {(!n.read).then(|| view! {
                            <ActionForm action=mark>
                                <input type="hidden" name="id" value=id/>
                                <button type="submit" class="text-xs text-slate-600 hover:underline">{t("notify.mark_read")}</button>
                            </ActionForm>
                        })}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}
