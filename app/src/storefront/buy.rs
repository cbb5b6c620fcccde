//! The product page's islands (`crate::frame::islands`): its buy box and its gallery. They hydrate
//! on their own, with the product serialized into the page, on the page that hydrates only islands
//! and on every page that hydrates the whole app alike.

use super::model::{compare_at_text, media_url, ProductView, VariantView};
use crate::cart::components::{AddToCart, Picked, Sku};
use crate::components::styles::{TABLE, TBODY, THEAD};
use crate::domain::money::Money;
use crate::i18n::{fill, t, translate, use_lang};
use leptos::either::Either;
use leptos::prelude::*;

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

/// The product page's buy box: the price and stock of the chosen variant, the variant picker (the
/// variants table without JavaScript) and "Add to cart". An island (`crate::frame::islands`).
#[island]
pub fn BuyBox(product: ProductView) -> impl IntoView {
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
    // Add to cart (cart::components): the picker's variant, or its own choice without the picker.
    let skus: Vec<Sku> = product
        .variants
        .iter()
        .map(|v| Sku {
            id: v.id,
            label: if v.options.is_empty() { v.sku.clone() } else { v.options.join(" / ") },
            stock: v.stock,
        })
        .collect();
    let picked = Signal::derive(move || match variant() {
        Ok(Some(v)) => Picked::Variant(v.id),
        Ok(None) => Picked::NoPicker,
        Err(()) => Picked::Unavailable,
    });
    view! {
        <div class="space-y-6">
            <div aria-live="polite">
                {move || match variant() {
                    Err(()) => Either::Left(view! {
                        <p class="text-sm font-medium text-amber-700" data-testid="product-stock">{t("storefront.combination_unavailable")}</p>
                    }),
                    Ok(v) => {
                        let (price, compare_at, stock) = p.with_value(|p| price_text(p, v.as_ref()));
                        let from = v.is_none() && varied_prices;
                        Either::Right(view! {
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
                                    Either::Left(view! { <span class="text-green-700">{move || fill(&translate(lang.get(), "storefront.in_stock_n"), &[("n", stock.to_string())])}</span> })
                                } else {
                                    Either::Right(view! { <span class="font-medium text-red-700">{t("storefront.sold_out")}</span> })
                                }}
                            </p>
                        })
                    }
                }}
            </div>
            {has_picker.then(|| view! { <VariantPicker product=product.clone() chosen hydrated/> })}
            {(product.variants.len() > 1).then(|| view! { <VariantsTable product=product.clone() hydrated/> })}
            <AddToCart skus picked/>
        </div>
    }
}

/// The product images: one large, the others as thumbnails that show it (links to the images
/// without JavaScript). An island (`crate::frame::islands`).
#[island]
pub fn Gallery(images: Vec<i64>, title: String) -> impl IntoView {
    if images.is_empty() {
        return Either::Left(view! {
            <div aria-hidden="true" class="grid aspect-square w-full place-items-center rounded-xl bg-slate-100 text-6xl text-slate-300">"◇"</div>
        });
    }
    let current = RwSignal::new(0usize);
    let imgs = StoredValue::new(images.clone());
    let count = images.len();
    Either::Right(view! {
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
    })
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
                                {if v.stock > 0 { Either::Left(view! { <span>{v.stock}</span> }) }
                                 else { Either::Right(view! { <span class="text-red-700">{t("storefront.sold_out")}</span> }) }}
                            </td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
