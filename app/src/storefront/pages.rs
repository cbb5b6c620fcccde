//! Storefront pages. Each renders on the server with its data (the routes are `SsrMode::Async`, so
//! the status, `<title>` and meta description are in the response), and browsing needs no
//! JavaScript: links, GET forms and pager links. The product page's variant picker and gallery are
//! the only parts that need the WASM; without it the page shows the variants table.

use super::api::{storefront_category, storefront_home, storefront_listing, storefront_search, storefront_seller};
use super::components::{Breadcrumbs, CategoryChips, FilterFields, FilterForm, ListingGrid, NotAvailable, PageMeta};
use super::model::{
    compare_at_text, media_url, meta_text, HomeData, ListingCard, ProductView, SellerCard, VariantView,
};
use crate::categories::model::CategoryNode;
use crate::components::format::format_utc;
use crate::components::list::empty_state;
use crate::components::styles::{CARD_SMALL, LINK, TABLE, TBODY, THEAD};
use crate::components::{query_param, query_string, DetailResult, ErrorState, Pager};
use crate::domain::money::Money;
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

/// What the price block shows: a price, an optional compare-at, and the stock line.
fn price_text(p: &ProductView, v: Option<&VariantView>) -> (String, Option<String>, i64) {
    match v {
        Some(v) => (
            Money::new(v.price_minor, p.currency).display(),
            compare_at_text(v.price_minor, v.compare_at_minor, p.currency),
            v.stock,
        ),
        None => (
            Money::new(p.price_minor, p.currency).display(),
            compare_at_text(p.price_minor, p.compare_at_minor, p.currency),
            p.stock_total,
        ),
    }
}

#[component]
fn Product(product: ProductView) -> impl IntoView {
    let lang = use_lang();
    let p = StoredValue::new(product.clone());
    // The picker needs the WASM: until it runs (and without JavaScript) the page shows the variants
    // table instead. Effects run only in the browser, after hydration.
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    let has_picker = !product.options.is_empty() && product.variants.len() > 1;
    let chosen = RwSignal::new(product.initial_choice());
    let variant = move || {
        p.with_value(|p| {
            if p.variants.len() == 1 {
                return Ok(Some(p.variants[0].clone()));
            }
            if !hydrated.get() || !has_picker {
                return Ok(None);
            }
            chosen.with(|c| p.variant_for(c).cloned()).map(Some).ok_or(())
        })
    };
    let varied_prices =
        product.variants.iter().map(|v| v.price_minor).collect::<std::collections::HashSet<_>>().len() > 1;
    let title = product.title.clone();
    let crumbs: Vec<CategoryNode> = product.category.clone().into_iter().collect();
    let seller = product.seller.clone();
    // Add to cart (cart::components): the picker's variant, or its own choice without the picker.
    let skus: Vec<crate::cart::components::Sku> = product
        .variants
        .iter()
        .map(|v| crate::cart::components::Sku {
            id: v.id,
            label: if v.options.is_empty() { v.sku.clone() } else { v.options.join(" / ") },
            stock: v.stock,
        })
        .collect();
    let picked = Signal::derive(move || match variant() {
        Ok(Some(v)) => crate::cart::components::Picked::Variant(v.id),
        Ok(None) => crate::cart::components::Picked::NoPicker,
        Err(()) => crate::cart::components::Picked::Unavailable,
    });
    view! {
        <PageMeta title=product.title.clone() description=product.meta_description()/>
        <Breadcrumbs trail=crumbs current=Some(product.title.clone())/>
        <article class="grid gap-8 lg:grid-cols-2" data-testid="product">
            <Gallery images=product.images.clone() title=title.clone()/>
            <div class="space-y-6">
                <div>
                    <h1 class="text-2xl font-bold tracking-tight" data-testid="product-title">{title}</h1>
                    <div class="mt-3" aria-live="polite">
                        {move || match variant() {
                            Err(()) => view! {
                                <p class="text-sm font-medium text-amber-700" data-testid="product-stock">{t("storefront.combination_unavailable")}</p>
                            }.into_any(),
                            Ok(v) => {
                                let (price, compare_at, stock) = p.with_value(|p| price_text(p, v.as_ref()));
                                let from = v.is_none() && varied_prices;
                                view! {
                                    <p class="flex items-baseline gap-3">
                                        {from.then(|| view! { <span class="text-sm text-slate-500">{t("storefront.from")}</span> })}
                                        <span class="text-3xl font-semibold" data-testid="product-price">{price}</span>
                                        {compare_at.map(|c| view! {
                                            <s class="text-lg text-slate-400" data-testid="product-compare-at">
                                                <span class="sr-only">{t("storefront.was")}" "</span>{c}
                                            </s>
                                        })}
                                    </p>
                                    <p class="mt-1 text-sm" data-testid="product-stock">
                                        {if stock > 0 {
                                            view! { <span class="text-green-700">{move || fill(&translate(lang.get(), "storefront.in_stock_n"), &[("n", stock.to_string())])}</span> }.into_any()
                                        } else {
                                            view! { <span class="font-medium text-red-700">{t("storefront.sold_out")}</span> }.into_any()
                                        }}
                                    </p>
                                }.into_any()
                            }
                        }}
                    </div>
                </div>
                {has_picker.then(|| view! { <VariantPicker product=product.clone() chosen hydrated/> })}
                {(product.variants.len() > 1).then(|| view! { <VariantsTable product=product.clone() hydrated/> })}
                <crate::cart::components::AddToCart skus picked/>
                <SellerBox seller/>
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
fn Gallery(images: Vec<i64>, title: String) -> impl IntoView {
    if images.is_empty() {
        return view! {
            <div aria-hidden="true" class="grid aspect-square w-full place-items-center rounded-xl bg-slate-100 text-6xl text-slate-300">"◇"</div>
        }
        .into_any();
    }
    let current = RwSignal::new(0usize);
    let imgs = StoredValue::new(images.clone());
    let count = images.len();
    view! {
        <div class="space-y-3" data-testid="gallery">
            <div class="aspect-square w-full overflow-hidden rounded-xl border border-slate-200 bg-white">
                <img src=move || imgs.with_value(|v| media_url(v[current.get().min(v.len() - 1)])) alt=title.clone()
                    class="h-full w-full object-contain" data-testid="gallery-main"/>
            </div>
            {(count > 1).then(|| view! {
                <ul role="list" class="flex gap-2 overflow-x-auto" aria-label=t("storefront.images")>
                    {images.iter().copied().enumerate().map(|(i, id)| view! {
                        <li>
                            // A link to the image itself without JavaScript; with it, shows it above.
                            <a href=media_url(id)
                                aria-label=move || fill(&translate(use_lang().get(), "storefront.show_image"), &[("n", (i + 1).to_string())])
                                aria-current=move || (current.get() == i).then_some("true")
                                on:click=move |ev| { ev.prevent_default(); current.set(i); }
                                class="block h-16 w-16 overflow-hidden rounded-md border-2 border-transparent aria-[current=true]:border-indigo-600">
                                <img src=media_url(id) alt="" loading="lazy" class="h-full w-full object-cover"/>
                            </a>
                        </li>
                    }).collect_view()}
                </ul>
            })}
        </div>
    }
    .into_any()
}

#[component]
fn VariantPicker(product: ProductView, chosen: RwSignal<Vec<String>>, hydrated: RwSignal<bool>) -> impl IntoView {
    view! {
        <fieldset class="space-y-3" hidden=move || !hydrated.get() data-testid="variant-picker">
            <legend class="sr-only">{t("storefront.choose_variant")}</legend>
            {product.options.into_iter().enumerate().map(|(i, opt)| {
                let id = format!("option-{i}");
                view! {
                    <div class="space-y-1">
                        <label for=id.clone() class="block text-sm font-medium text-slate-700">{opt.name}</label>
                        <select id=id class="block w-full max-w-xs rounded-md border border-slate-300 bg-white px-3 py-2 text-sm"
                            on:change=move |ev| {
                                let value = event_target_value(&ev);
                                chosen.update(|c| if let Some(slot) = c.get_mut(i) { *slot = value });
                            }>
                            {opt.values.into_iter().map(|v| {
                                let value = v.clone();
                                let attr = v.clone();
                                view! {
                                    <option value=attr selected=move || chosen.with(|c| c.get(i) == Some(&value))>{v}</option>
                                }
                            }).collect_view()}
                        </select>
                    </div>
                }
            }).collect_view()}
        </fieldset>
    }
}

/// Every variant with its price and stock: what the page shows without JavaScript.
#[component]
fn VariantsTable(product: ProductView, hydrated: RwSignal<bool>) -> impl IntoView {
    let currency = product.currency;
    view! {
        <div class="overflow-x-auto rounded-xl border border-slate-200 bg-white" hidden=move || hydrated.get() data-testid="variants-table">
            <table class=TABLE>
                <caption class="sr-only">{t("storefront.variants")}</caption>
                <thead class=THEAD>
                    <tr>
                        {product.options.iter().map(|o| view! {
                            <th scope="col" class="px-3 py-2 text-left font-semibold text-slate-600">{o.name.clone()}</th>
                        }).collect_view()}
                        <th scope="col" class="px-3 py-2 text-left font-semibold text-slate-600">{t("storefront.price")}</th>
                        <th scope="col" class="px-3 py-2 text-left font-semibold text-slate-600">{t("storefront.stock")}</th>
                    </tr>
                </thead>
                <tbody class=TBODY>
                    {product.variants.into_iter().map(|v| view! {
                        <tr>
                            {v.options.into_iter().map(|o| view! { <td class="px-3 py-2">{o}</td> }).collect_view()}
                            <td class="px-3 py-2 font-medium">{Money::new(v.price_minor, currency).display()}</td>
                            <td class="px-3 py-2">
                                {if v.stock > 0 { view! { <span>{v.stock}</span> }.into_any() }
                                 else { view! { <span class="text-red-700">{t("storefront.sold_out")}</span> }.into_any() }}
                            </td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
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
