//! Pieces the storefront pages share: listing cards and grids, the filter form (a GET form, so it
//! works without JavaScript), breadcrumbs and the "no longer available" state.

use super::model::{media_url, ListingCard, Sort};
use crate::categories::model::CategoryNode;
use crate::components::states::error_text;
use crate::components::styles::{BUTTON_PRIMARY, CARD_SMALL, CHECKBOX, FIELD_ERROR, INPUT, LABEL, LINK};
use crate::components::{query_param, StatusBadge, Tone};
use crate::error::AppError;
use crate::i18n::{t, use_lang};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::components::Form;

/// `<title>` and meta description from text known on the server (plain strings: see `i18n::title`;
/// the app's title formatter escapes the text on the server).
#[component]
pub fn PageMeta(#[prop(into)] title: String, #[prop(into)] description: String) -> impl IntoView {
    view! {
        <Title text=title/>
        <Meta name="description" content=description/>
    }
}

#[component]
pub fn ListingCardView(card: ListingCard) -> impl IntoView {
    let href = format!("/p/{}", card.id);
    let price = card.price();
    let compare_at = card.compare_at();
    let sold_out = card.sold_out();
    view! {
        <li data-testid="listing-card" class="group overflow-hidden rounded-xl border border-slate-200 bg-white shadow-sm transition hover:shadow-md">
            <a href=href class="block focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500">
                <div class="aspect-square w-full overflow-hidden bg-slate-100">
                    {match card.image {
                        Some(id) => view! {
                            <img src=media_url(id) alt="" loading="lazy" class="h-full w-full object-cover transition group-hover:scale-105"/>
                        }.into_any(),
                        None => view! {
                            <div aria-hidden="true" class="grid h-full w-full place-items-center text-4xl text-slate-300">"◇"</div>
                        }.into_any(),
                    }}
                </div>
                <div class="space-y-1 p-3">
                    <h3 class="line-clamp-2 text-sm font-medium text-slate-900" data-testid="listing-title">{card.title}</h3>
                    <p class="text-xs text-slate-500">{card.seller_name}</p>
                    <p class="flex items-baseline gap-2">
                        <span class="font-semibold text-slate-900" data-testid="listing-price">{price}</span>
                        {compare_at.map(|c| view! { <s class="text-xs text-slate-400">{c}</s> })}
                        {sold_out.then(|| view! {
                            <span class="ml-auto"><StatusBadge tone=Tone::Neutral label=t("storefront.sold_out")/></span>
                        })}
                    </p>
                </div>
            </a>
        </li>
    }
}

#[component]
pub fn ListingGrid(cards: Vec<ListingCard>, #[prop(optional, into)] label: Option<String>) -> impl IntoView {
    view! {
        <ul role="list" aria-label=label data-testid="listing-grid" class="grid grid-cols-2 gap-4 sm:grid-cols-3 lg:grid-cols-4">
            {cards.into_iter().map(|card| view! { <ListingCardView card/> }).collect_view()}
        </ul>
    }
}

/// Home > ... > current, as a breadcrumb navigation.
#[component]
pub fn Breadcrumbs(trail: Vec<CategoryNode>, #[prop(into)] current: Option<String>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <nav aria-label=t("storefront.breadcrumbs") class="mb-4 text-sm text-slate-500">
            <ol class="flex flex-wrap items-center gap-1">
                <li><a href="/" class="hover:text-indigo-700 hover:underline">{t("store.home")}</a></li>
                {trail.into_iter().map(|n| {
                    let href = format!("/c/{}", n.slug);
                    view! {
                        <li aria-hidden="true">"/"</li>
                        <li><a href=href class="hover:text-indigo-700 hover:underline">{move || n.name(lang.get()).to_string()}</a></li>
                    }
                }).collect_view()}
                {current.map(|c| view! {
                    <li aria-hidden="true">"/"</li>
                    <li aria-current="page" class="font-medium text-slate-700">{c}</li>
                })}
            </ol>
        </nav>
    }
}

/// Category links as chips.
#[component]
pub fn CategoryChips(nodes: Vec<CategoryNode>, #[prop(into)] label: String) -> impl IntoView {
    let lang = use_lang();
    view! {
        <ul role="list" aria-label=label class="flex flex-wrap gap-2">
            {nodes.into_iter().map(|n| {
                let href = format!("/c/{}", n.slug);
                view! {
                    <li>
                        <a href=href class="inline-block rounded-full border border-slate-200 bg-white px-3 py-1.5 text-sm font-medium text-slate-700 hover:border-indigo-300 hover:text-indigo-700">
                            {move || n.name(lang.get()).to_string()}
                        </a>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

/// The "no longer available" state of a product or seller page: answers 404.
#[component]
pub fn NotAvailable(#[prop(into)] title_key: &'static str, #[prop(into)] body_key: &'static str) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(opts) = use_context::<leptos_axum::ResponseOptions>() {
        opts.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text=crate::i18n::title(title_key)/>
        <Meta name="robots" content="noindex"/>
        <section data-testid="not-available" class="mx-auto max-w-xl py-16 text-center">
            <h1 class="text-2xl font-bold">{t(title_key)}</h1>
            <p class="mt-2 text-slate-600">{t(body_key)}</p>
            <a href="/" class=format!("mt-6 inline-block {LINK}")>{t("storefront.keep_browsing")}</a>
        </section>
    }
}

/// The error a grid answered with when it belongs next to `field` of its filter form.
pub fn field_error_of<T: Clone + Send + Sync + 'static>(
    result: Resource<Result<T, AppError>>,
    field: &'static str,
) -> impl IntoView {
    let lang = use_lang();
    let error = move || match result.get() {
        Some(Err(e)) if e.field() == Some(field) => Some(error_text(lang.get(), &e)),
        _ => None,
    };
    view! {
        <Transition fallback=|| ()>
            {move || error().map(|e| view! {
                <p id=format!("filter-{field}-error") role="alert" class=FIELD_ERROR data-testid=format!("error-{field}")>{e}</p>
            })}
        </Transition>
    }
}

/// Which filters a grid's form offers.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct FilterFields {
    pub text: bool,
    pub category: bool,
}

/// The filter form of a grid: a GET form to `action`, so searching, filtering and sorting are plain
/// page loads without JavaScript (and client-side navigations with it).
#[component]
pub fn FilterForm<T: Clone + Send + Sync + 'static>(
    action: String,
    fields: FilterFields,
    result: Resource<Result<T, AppError>>,
    /// Categories for the category select (search only).
    #[prop(optional, into)]
    categories: Signal<Vec<CategoryNode>>,
) -> impl IntoView {
    let lang = use_lang();
    let (q, category, min, max, in_stock, sort) = (
        query_param("q"),
        query_param("category"),
        query_param("min"),
        query_param("max"),
        query_param("in_stock"),
        query_param("sort"),
    );
    let has_text = move || fields.text && q().is_some();
    let sort_value = move || sort().unwrap_or_else(|| if has_text() { "relevance".into() } else { "newest".into() });
    view! {
        <Form method="GET" action=action attr:role="search" attr:aria-label=t("storefront.filters") attr:data-testid="filters"
            attr:class=format!("mb-6 grid gap-3 {CARD_SMALL} sm:grid-cols-2 lg:grid-cols-[2fr_1fr_1fr_1fr_1fr_auto] lg:items-end")>
            {fields.text.then(|| view! {
                <div class="space-y-1 sm:col-span-2 lg:col-span-1">
                    <label for="filter-q" class=LABEL>{t("storefront.filter.q")}</label>
                    <input id="filter-q" name="q" type="search" maxlength="100" value=q class=INPUT
                        aria-describedby="filter-q-error"/>
                    {field_error_of(result, "q")}
                </div>
            })}
            {fields.category.then(|| view! {
                <div class="space-y-1">
                    <label for="filter-category" class=LABEL>{t("storefront.filter.category")}</label>
                    <select id="filter-category" name="category" class=INPUT aria-describedby="filter-category-error">
                        <option value="">{t("storefront.filter.all_categories")}</option>
                        {move || categories.get().into_iter().map(|n| {
                            let slug = n.slug.clone();
                            let indent = "\u{a0}\u{a0}".repeat(n.depth);
                            let selected = category().as_deref() == Some(slug.as_str());
                            view! {
                                <option value=slug selected=selected>{indent}{move || n.name(lang.get()).to_string()}</option>
                            }
                        }).collect_view()}
                    </select>
                    {field_error_of(result, "category")}
                </div>
            })}
            <div class="space-y-1">
                <label for="filter-min" class=LABEL>{t("storefront.filter.min")}</label>
                <input id="filter-min" name="min" inputmode="decimal" maxlength="20" value=min class=INPUT
                    aria-describedby="filter-min-error"/>
                {field_error_of(result, "min")}
            </div>
            <div class="space-y-1">
                <label for="filter-max" class=LABEL>{t("storefront.filter.max")}</label>
                <input id="filter-max" name="max" inputmode="decimal" maxlength="20" value=max class=INPUT
                    aria-describedby="filter-max-error"/>
                {field_error_of(result, "max")}
            </div>
            <div class="space-y-1">
                <label for="filter-sort" class=LABEL>{t("storefront.filter.sort")}</label>
                <select id="filter-sort" name="sort" class=INPUT aria-describedby="filter-sort-error">
                    {Sort::ALL.into_iter().filter(|s| fields.text || *s != Sort::Relevance).map(|s| view! {
                        <option value=s.as_str() selected=move || sort_value() == s.as_str()>{t(s.label_key())}</option>
                    }).collect_view()}
                </select>
                {field_error_of(result, "sort")}
            </div>
            <div class="flex flex-wrap items-center gap-3 sm:col-span-2 lg:col-span-1">
                <label class="inline-flex items-center gap-2 text-sm text-slate-700">
                    <input type="checkbox" name="in_stock" value="1" checked=move || in_stock().is_some_and(|v| v != "0")
                        class=CHECKBOX/>
                    {t("storefront.filter.in_stock")}
                </label>
                {field_error_of(result, "in_stock")}
                <button type="submit" class=BUTTON_PRIMARY>
                    {t("storefront.filter.apply")}
                </button>
            </div>
        </Form>
    }
}

/// The search box in the store header: a GET form to /search.
#[component]
pub fn HeaderSearch() -> impl IntoView {
    view! {
        <Form method="GET" action="/search" attr:role="search" attr:class="hidden flex-1 sm:block sm:max-w-md">
            <label for="header-q" class="sr-only">{t("storefront.search_label")}</label>
            <input id="header-q" name="q" type="search" maxlength="100" placeholder=t("storefront.search_placeholder")
                data-testid="header-search"
                class="block w-full rounded-full border border-slate-300 bg-slate-50 px-4 py-1.5 text-sm focus:border-indigo-500 focus:bg-white focus:outline-none focus:ring-2 focus:ring-indigo-200"/>
        </Form>
    }
}

#[cfg(test)]
mod tests {}
