//! Storefront pages. Each renders on the server with its data (the routes are `SsrMode::Async`, so
//! the status, `<title>` and meta description are in the response), and browsing needs no
//! JavaScript: links, GET forms and pager links. These pages hydrate only their islands
//! (`crate::frame::islands`): the product page's buy box and gallery (`buy.rs`), the header's cart link
//! and the report form; without JavaScript the product page shows the variants table.

use super::api::{storefront_category, storefront_home, storefront_listing, storefront_search, storefront_seller};
use super::buy::{BuyBox, Gallery};
use super::components::{Breadcrumbs, CategoryChips, FilterFields, FilterForm, ListingGrid, NotAvailable, PageMeta};
use super::model::{meta_text, HomeData, ListingCard, ProductView, SellerCard};
use crate::categories::model::CategoryNode;
use crate::components::format::format_utc;
use crate::components::list::empty_state;
use crate::components::styles::{CARD_SMALL, LINK};
use crate::components::{query_param, query_string, DetailResult, ErrorState, Pager};
use crate::domain::page::Page;
use crate::error::AppError;
use crate::i18n::{fill, t, translate, use_lang};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// The current language's translation, read once (for `<title>` and meta text on the server).
fn now_text(key: &str) -> String {
    translate(use_lang().get_untracked(), key)
}

fn name_now(n: &CategoryNode) -> String {
    n.name(use_lang().get_untracked()).to_string()
}

#[component]
pub fn HomePage() -> impl IntoView {
    let home = Resource::new(|| (), |_| storefront_home());
    view! {
        <PageMeta title="" description=now_text("store.tagline")/>
        <section class="mb-8">
            <h1 class="text-2xl font-bold tracking-tight">{t("app.name")}</h1>
            <p class="mt-1 text-slate-600">{t("store.tagline")}</p>
        </section>
        <DetailResult resource=home let:data>
            {if data.newest.is_empty() {
                empty_state("store.empty_catalog", Some("store.empty_catalog_hint"))
            } else {
                let HomeData { sections, categories, featured, newest } = data;
                // The sections in the order curation gives them (`/console/curation`).
                let (mut categories, mut featured, mut newest) = (Some(categories), Some(featured), Some(newest));
                sections.into_iter().map(|key| match key.as_str() {
                    "categories" => categories.take().map(home_categories).into_any(),
                    "featured" => featured.take().map(home_featured).into_any(),
                    "newest" => newest.take().map(home_newest).into_any(),
                    _ => ().into_any(),
                }).collect_view().into_any()
            }}
        </DetailResult>
    }
}

fn home_categories(categories: Vec<CategoryNode>) -> impl IntoView {
    let top: Vec<CategoryNode> = categories.into_iter().filter(|n| n.depth == 0).collect();
    (!top.is_empty()).then(|| {
        view! {
            <section class="mb-10" aria-labelledby="home-categories" data-testid="home-categories">
                <h2 id="home-categories" class="mb-3 text-lg font-semibold">{t("storefront.categories")}</h2>
                <CategoryChips nodes=top label=now_text("storefront.categories")/>
            </section>
        }
    })
}

fn home_featured(featured: Vec<ListingCard>) -> impl IntoView {
    (!featured.is_empty()).then(|| {
        view! {
            <section class="mb-10" aria-labelledby="home-featured" data-testid="featured">
                <h2 id="home-featured" class="mb-3 text-lg font-semibold">{t("storefront.featured")}</h2>
                <ListingGrid cards=featured label=now_text("storefront.featured")/>
            </section>
        }
    })
}

fn home_newest(newest: Vec<ListingCard>) -> impl IntoView {
    view! {
        <section class="mb-10" aria-labelledby="home-newest" data-testid="newest">
            <div class="mb-3 flex items-baseline justify-between">
                <h2 id="home-newest" class="text-lg font-semibold">{t("storefront.newest")}</h2>
                <a href="/search?sort=newest" class=format!("text-sm {LINK}")>{t("storefront.see_all")}</a>
            </div>
            <ListingGrid cards=newest label=now_text("storefront.newest")/>
        </section>
    }
}

/// A grid with its pager, or its empty state (`filtered`: the filters may be why it is empty).
fn grid_or_empty(page: Page<ListingCard>, base_query: String, is_first: bool, filtered: bool) -> AnyView {
    if page.rows.is_empty() {
        return match filtered {
            true => empty_state("storefront.no_match", Some("storefront.no_match_hint")),
            false => empty_state("storefront.empty_here", Some("storefront.empty_here_hint")),
        };
    }
    view! {
        <ListingGrid cards=page.rows/>
        <Pager next=page.next base_query=base_query is_first=is_first/>
    }
    .into_any()
}

#[component]
pub fn CategoryPage() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.with(|p| p.get("slug")).unwrap_or_default();
    let (min, max, in_stock, sort, cursor) =
        (query_param("min"), query_param("max"), query_param("in_stock"), query_param("sort"), query_param("cursor"));
    let data = Resource::new(
        move || (slug(), min(), max(), in_stock(), sort(), cursor()),
        |(slug, min, max, in_stock, sort, cursor)| storefront_category(slug, min, max, in_stock, sort, cursor),
    );
    let action = Signal::derive(move || format!("/c/{}", slug()));
    // A category that is gone answers 404; a bad filter value is shown next to its field.
    let on_error = move |e: AppError| {
        match e {
        AppError::NotFound => Some(
            view! { <NotAvailable title_key="storefront.category_gone" body_key="storefront.category_gone_body"/> }
                .into_any(),
        ),
        e if e.field().is_some() => Some(
            view! {
                <PageMeta title=now_text("storefront.search_title") description=now_text("store.tagline")/>
                <FilterForm action=action.get_untracked() fields=FilterFields { text: false, category: false } result=data/>
            }
            .into_any(),
        ),
        _ => None,
    }
    };
    view! {
        <DetailResult resource=data on_error let:d>
            {
                    let name = name_now(&d.category);
                    let lang = use_lang();
                    let category = d.category.clone();
                    let description = fill(&now_text("storefront.category_meta"), &[("name", name.clone())]);
                    let filtered = min().is_some() || max().is_some() || in_stock().is_some();
                    let base = query_string(&[("min", min()), ("max", max()), ("in_stock", in_stock()), ("sort", sort())]);
                    view! {
                        <PageMeta title=name.clone() description=description/>
                        <Breadcrumbs trail=d.ancestors current=Some(name)/>
                        <h1 class="mb-4 text-2xl font-bold tracking-tight" data-testid="category-name">
                            {move || category.name(lang.get()).to_string()}
                        </h1>
                        {(!d.children.is_empty()).then(|| view! {
                            <div class="mb-6">
                                <CategoryChips nodes=d.children label=now_text("storefront.subcategories")/>
                            </div>
                        })}
                        <FilterForm action=action.get_untracked() fields=FilterFields { text: false, category: false } result=data/>
                        {grid_or_empty(d.page, base, cursor().is_none(), filtered)}
                    }
                }
        </DetailResult>
    }
}

#[component]
pub fn SearchPage() -> impl IntoView {
    let (q, category, min, max, in_stock, sort, cursor) = (
        query_param("q"),
        query_param("category"),
        query_param("min"),
        query_param("max"),
        query_param("in_stock"),
        query_param("sort"),
        query_param("cursor"),
    );
    let results = Resource::new(
        move || (q(), category(), min(), max(), in_stock(), sort(), cursor()),
        |(q, c, min, max, s, sort, cur)| storefront_search(q, c, min, max, s, sort, cur),
    );
    let title = match q() {
        Some(q) => fill(&now_text("storefront.search_title_for"), &[("q", q)]),
        None => now_text("storefront.search_title"),
    };
    view! {
        <PageMeta title=title.clone() description=now_text("storefront.search_meta")/>
        <h1 class="mb-4 text-2xl font-bold tracking-tight">{title}</h1>
        // The filter form shows with the results and with a refused filter (its error next to the field).
        <DetailResult resource=results let:found on_error=move |e: AppError| Some(view! {
            <FilterForm action="/search".to_string() fields=FilterFields { text: true, category: true } result=results/>
            {e.field().is_none().then(|| view! { <ErrorState error=e/> })}
        }.into_any())>
            {
                let base = query_string(&[
                    ("q", q()), ("category", category()), ("min", min()), ("max", max()),
                    ("in_stock", in_stock()), ("sort", sort()),
                ]);
                view! {
                    <FilterForm action="/search".to_string() fields=FilterFields { text: true, category: true } result=results categories=found.categories/>
                    <div data-testid="search-results">
                        {grid_or_empty(found.page, base, cursor().is_none(), true)}
                    </div>
                }
            }
        </DetailResult>
    }
}

#[component]
pub fn ProductPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id")).and_then(|s| s.parse::<i64>().ok());
    let product = Resource::new(id, |id| async move {
        match id {
            Some(id) if id > 0 => storefront_listing(id).await,
            _ => Err(AppError::NotFound),
        }
    });
    let on_error = |e: AppError| {
        (e == AppError::NotFound).then(|| {
            view! { <NotAvailable title_key="storefront.listing_gone" body_key="storefront.listing_gone_body"/> }
                .into_any()
        })
    };
    view! {
        <DetailResult resource=product on_error let:p>
            <Product product=p/>
        </DetailResult>
    }
}

#[component]
fn Product(product: ProductView) -> impl IntoView {
    let title = product.title.clone();
    let crumbs: Vec<CategoryNode> = product.category.clone().into_iter().collect();
    let seller = product.seller.clone();
    // The gallery and the buy box are islands (crate::frame::islands); the rest of the page is plain
    // HTML.
    view! {
        <PageMeta title=product.title.clone() description=product.meta_description()/>
        <Breadcrumbs trail=crumbs current=Some(product.title.clone())/>
        <article class="grid gap-8 lg:grid-cols-2" data-testid="product">
            <Gallery images=product.images.clone() title=title.clone()/>
            <div class="space-y-6">
                <div>
                    <h1 class="text-2xl font-bold tracking-tight" data-testid="product-title">{title}</h1>
                    <div class="mt-3"><BuyBox product=product.clone()/></div>
                </div>
                <SellerBox seller/>
                <crate::trust::components::TrustBox judgment=product.trust.clone() currency=product.currency/>
                <section aria-labelledby="product-description">
                    <h2 id="product-description" class="mb-2 text-lg font-semibold">{t("storefront.description")}</h2>
                    // Line breaks kept by CSS; the text itself is escaped like every text node.
                    <p class="whitespace-pre-line text-slate-700" data-testid="product-description">{product.description.clone()}</p>
                </section>
                <crate::trust::components::ReportButton target="listing" target_id=product.id/>
            </div>
        </article>
    }
}

#[component]
fn SellerBox(seller: SellerCard) -> impl IntoView {
    let href = format!("/s/{}", seller.id);
    let since = format_utc(seller.since_ms)[..7].to_string();
    view! {
        <section aria-labelledby="seller-box" class=CARD_SMALL data-testid="seller-card">
            <h2 id="seller-box" class="text-xs font-semibold uppercase tracking-wide text-slate-500">{t("storefront.sold_by")}</h2>
            <p class="mt-1">
                <a href=href class=format!("font-semibold {LINK}")>{seller.name}</a>
            </p>
            <p class="mt-1 text-sm text-slate-500">
                {(!seller.region.is_empty()).then(|| view! { <span>{seller.region.clone()}" · "</span> })}
                {move || fill(&translate(use_lang().get(), "storefront.since"), &[("date", since.clone())])}
            </p>
        </section>
    }
}

#[component]
pub fn SellerStorePage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id")).and_then(|s| s.parse::<i64>().ok());
    let cursor = query_param("cursor");
    let store = Resource::new(
        move || (id(), cursor()),
        |(id, cursor)| async move {
            match id {
                Some(id) if id > 0 => storefront_seller(id, cursor).await,
                _ => Err(AppError::NotFound),
            }
        },
    );
    let on_error = |e: AppError| {
        (e == AppError::NotFound).then(|| {
            view! { <NotAvailable title_key="storefront.seller_gone" body_key="storefront.seller_gone_body"/> }
                .into_any()
        })
    };
    view! {
        <DetailResult resource=store on_error let:s>
                {
                    let description = meta_text(&fill(&now_text("storefront.seller_meta"), &[("name", s.seller.name.clone())]));
                    let since = format_utc(s.seller.since_ms)[..7].to_string();
                    let region = s.seller.region.clone();
                    view! {
                        <PageMeta title=s.seller.name.clone() description=description/>
                        <header class="mb-6 flex flex-wrap items-start justify-between gap-4 rounded-xl border border-slate-200 bg-white p-5">
                            <div>
                                <h1 class="text-2xl font-bold tracking-tight" data-testid="seller-name">{s.seller.name.clone()}</h1>
                                <p class="mt-1 text-sm text-slate-500">
                                    {(!region.is_empty()).then(|| view! { <span>{region.clone()}" · "</span> })}
                                    {move || fill(&translate(use_lang().get(), "storefront.since"), &[("date", since.clone())])}
                                </p>
                            </div>
                            <crate::trust::components::ReportButton target="seller" target_id=s.seller.id/>
                        </header>
                        <h2 class="mb-3 text-lg font-semibold">{t("storefront.seller_listings")}</h2>
                        {grid_or_empty(s.page, String::new(), cursor().is_none(), false)}
                    }
                }
        </DetailResult>
    }
}
