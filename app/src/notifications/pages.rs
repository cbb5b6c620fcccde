use super::api::{list_notifications, MarkNotificationsRead, Notification};
use crate::components::{EmptyState, ErrorState, LoadingState, Pager};
use crate::i18n::{fill, t, translate, use_lang};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

fn render_text(lang: crate::i18n::Lang, n: &Notification) -> String {
    let params: Vec<(&str, String)> = n.params.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
    fill(&translate(lang, &format!("notify.{}", n.kind)), &params)
}

#[component]
pub fn NotificationsPage() -> impl IntoView {
    let query = use_query_map();
    let cursor = move || query.with(|q| q.get("cursor"));
    let mark = ServerAction::<MarkNotificationsRead>::new();
    let list = Resource::new(move || (cursor(), mark.version().get()), |(c, _)| list_notifications(c));
    let read = super::components::notifications_read();
    Effect::new(move |_| {
        if let Some(Ok(())) = mark.value().get() {
            read.update(|n| *n += 1);
        }
    });
    let lang = use_lang();
    view! {
        <Title text=crate::i18n::title("notify.title")/>
        <div class="mx-auto max-w-2xl">
            <div class="mb-4 flex items-center justify-between">
                <h1 class="text-xl font-semibold">{t("notify.title")}</h1>
                <ActionForm action=mark>
                    <button type="submit" class="text-sm font-medium text-indigo-700 hover:underline">{t("notify.mark_all_read")}</button>
                </ActionForm>
            </div>
            <Transition fallback=LoadingState>
                {move || list.get().map(|r| match r {
                    Err(e) => view! { <ErrorState error=e/> }.into_any(),
                    Ok(page) if page.rows.is_empty() => view! { <EmptyState title=Signal::derive(t("notify.empty"))/> }.into_any(),
                    Ok(page) => view! {
                        <ul class="divide-y divide-slate-200 rounded-xl border border-slate-200 bg-white" data-testid="notification-list">
                            {page.rows.into_iter().map(|n| {
                                let text = { let n = n.clone(); move || render_text(lang.get(), &n) };
                                let id = n.id;
                                view! {
                                    <li class="flex items-start justify-between gap-3 p-4">
                                        <div>
                                            {(!n.read).then(|| view! { <span class="mr-2 rounded bg-indigo-100 px-1.5 py-0.5 text-xs font-medium text-indigo-700">{t("notify.unread")}</span> })}
                                            <span class="text-sm">{text}</span>
                                            <p class="mt-1 text-xs text-slate-500"><crate::components::states::Time ms=n.created_at_ms/></p>
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
                        <Pager next=page.next base_query="" is_first=cursor().is_none()/>
                    }.into_any(),
                })}
            </Transition>
        </div>
    }
}
