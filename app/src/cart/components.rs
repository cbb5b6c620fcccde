//! The cart's pieces on other pages: the header's cart link with its count, and the product page's
//! "Add to cart" form.

use super::api::{cart_count, AddToCart as AddToCartFn};
use crate::components::form::{field_error, form_error};
use crate::components::styles::{BUTTON_PRIMARY, FIELD_ERROR, LABEL, NOTICE};
use crate::components::FormAlert;
use crate::i18n::{fill, t, translate, use_lang};
use leptos::either::EitherOf3;
use leptos::form::ActionForm;
use leptos::prelude::*;

/// Bumped after every cart change, so the header's count (and any cart view) reads again.
#[derive(Clone, Copy)]
pub struct CartRefresh(pub RwSignal<u32>);

/// Called once by the storefront layout, above the header and the pages.
pub fn provide_cart_refresh() {
    provide_context(CartRefresh(RwSignal::new(0)));
}

/// The refresh signal (a detached one outside the layout).
pub fn cart_refresh() -> RwSignal<u32> {
    use_context::<CartRefresh>().map(|c| c.0).unwrap_or_else(|| RwSignal::new(0))
}

/// The event `bump_cart` sends the page, for the islands that show the cart (the header's count):
/// an island shares no context with the page around it.
const CART_CHANGED: &str = "agora-cart-changed";

/// Says the cart changed: to the page's cart views (context) and to its islands (a window event).
pub fn bump_cart() {
    if let Some(c) = use_context::<CartRefresh>() {
        c.0.update(|n| *n += 1);
    }
    #[cfg(feature = "hydrate")]
    if let Ok(event) = web_sys::Event::new(CART_CHANGED) {
        let _ = window().dispatch_event(&event);
    }
}

/// The header's link to the cart, with the number of units in it; it counts again whenever
/// [`bump_cart`] says the cart changed. On a page that hydrates only its islands it is one
/// (`crate::frame::islands`); on the app's pages, an ordinary part of the page.
#[component]
pub fn CartLink() -> impl IntoView {
    if !crate::frame::islands::rendering_islands_page() {
        return view! { <CartCount/> }.into_any();
    }
    // The server counts, and the island starts from that count: no resource to hydrate in the
    // islands bundle, which keeps leptos's resource and suspense code out of it.
    let count = Resource::new(|| (), |_| cart_count());
    let lang = use_lang();
    view! {
        <Suspense fallback=move || view! { <CartAnchor count=0 lang/> }>
            {move || count.get().map(|r| view! { <CartLinkIsland count=r.unwrap_or(0)/> })}
        </Suspense>
    }
    .into_any()
}

#[island]
fn CartLinkIsland(count: i64) -> impl IntoView {
    let lang = use_lang();
    let count = RwSignal::new(count);
    let listener = window_event_listener_untyped(CART_CHANGED, move |_| {
        leptos::task::spawn_local(async move {
            if let Ok(n) = cart_count().await {
                count.set(n);
            }
        })
    });
    on_cleanup(move || listener.remove());
    move || view! { <CartAnchor count=count.get() lang/> }
}

/// The app's cart link: a resource that reads the count again on every [`bump_cart`].
#[component]
fn CartCount() -> impl IntoView {
    let lang = use_lang();
    let refresh = RwSignal::new(0u32);
    let listener = window_event_listener_untyped(CART_CHANGED, move |_| refresh.update(|n| *n += 1));
    on_cleanup(move || listener.remove());
    let count = Resource::new(move || refresh.get(), |_| cart_count());
    // Read only inside the Transition (see NotificationBell).
    view! {
        <Transition fallback=move || view! { <CartAnchor count=0 lang/> }>
            {move || count.get().map(|r| view! { <CartAnchor count=r.unwrap_or(0) lang/> })}
        </Transition>
    }
}

#[component]
fn CartAnchor(count: i64, lang: RwSignal<crate::i18n::Lang>) -> impl IntoView {
    view! {
        <a href="/cart" data-testid="cart-link"
            aria-label=move || fill(&translate(lang.get(), "cart.link_label"), &[("n", count.to_string())])
            class="relative rounded-md p-2 text-slate-600 hover:bg-slate-100 hover:text-slate-900">
            <svg aria-hidden="true" viewBox="0 0 24 24" class="h-5 w-5" fill="none" stroke="currentColor" stroke-width="2">
                <path d="M3 3h2l2.4 12.2a2 2 0 0 0 2 1.8h8.2a2 2 0 0 0 2-1.6L21 8H6"/>
                <circle cx="10" cy="20.5" r="1"/>
                <circle cx="18" cy="20.5" r="1"/>
            </svg>
            {(count > 0).then(|| view! {
                <span data-testid="cart-count" class="absolute -right-0.5 -top-0.5 min-w-4 rounded-full bg-indigo-600 px-1 text-center text-[10px] font-bold leading-4 text-white">{count}</span>
            })}
        </a>
    }
}

/// What the product page's variant picker says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Picked {
    /// No picker runs (one variant, or before the WASM): the form offers its own choice.
    NoPicker,
    Variant(i64),
    /// The picker's combination is not sold.
    Unavailable,
}

/// One SKU the form can add: id, label (option values), stock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sku {
    pub id: i64,
    pub label: String,
    pub stock: i64,
}

/// The product page's "Add to cart": a quantity and the variant (from the page's picker, or a select
/// of every variant without it). Works as a plain form post too.
#[component]
pub fn AddToCart(skus: Vec<Sku>, #[prop(into)] picked: Signal<Picked>) -> impl IntoView {
    let lang = use_lang();
    let action = ServerAction::<AddToCartFn>::new();
    let value = action.value();
    let added = RwSignal::new(false);
    Effect::new(move |_| match value.get() {
        Some(Ok(_)) => {
            added.set(true);
            bump_cart();
        }
        Some(Err(_)) => added.set(false),
        None => {}
    });
    let quantity_error = field_error(move || value.get(), "quantity");
    let variant_error = field_error(move || value.get(), "variant_id");
    let error = form_error(move || value.get());
    let skus = StoredValue::new(skus);
    let single = skus.with_value(|s| (s.len() == 1).then(|| s[0].id));
    // The variant the form will send, when known without the select.
    let fixed = move || match (picked.get(), single) {
        (Picked::Variant(id), _) => Some(id),
        (Picked::NoPicker, Some(id)) => Some(id),
        _ => None,
    };
    let stock = move || fixed().and_then(|id| skus.with_value(|s| s.iter().find(|k| k.id == id).map(|k| k.stock)));
    let sold_out = move || stock() == Some(0) || picked.get() == Picked::Unavailable;
    let max = move || stock().unwrap_or(crate::domain::cart::MAX_QUANTITY).clamp(1, crate::domain::cart::MAX_QUANTITY);
    view! {
        <ActionForm action=action attr:class="space-y-3" attr:data-testid="add-to-cart">
            {move || match fixed() {
                Some(id) => EitherOf3::A(view! { <input type="hidden" name="variant_id" value=id.to_string()/> }),
                None if picked.get() == Picked::Unavailable => EitherOf3::B(view! { <input type="hidden" name="variant_id" value=""/> }),
                None => EitherOf3::C(view! {
                    <div class="space-y-1">
                        <label for="add-variant" class=LABEL>{t("cart.variant")}</label>
                        <select id="add-variant" name="variant_id" class="block w-full max-w-xs rounded-md border border-slate-300 bg-white px-3 py-2 text-sm">
                            {skus.get_value().into_iter().map(|k| view! {
                                <option value=k.id.to_string() disabled=k.stock == 0>{k.label}</option>
                            }).collect_view()}
                        </select>
                        {move || variant_error.get().map(|e| view! { <p class=FIELD_ERROR>{e}</p> })}
                    </div>
                }),
            }}
            <div class="flex items-end gap-3">
                <div class="space-y-1">
                    <label for="add-quantity" class=LABEL>{t("cart.quantity")}</label>
                    <input id="add-quantity" name="quantity" type="number" inputmode="numeric" min="1" max=move || max().to_string() value="1" required
                        aria-invalid=move || quantity_error.get().is_some().to_string()
                        aria-describedby=move || if quantity_error.get().is_some() { "add-quantity-error" } else { "" }
                        class="block w-24 rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-200 aria-[invalid=true]:border-red-500"/>
                </div>
                <button type="submit" data-testid="add-to-cart-button"
                    disabled=move || action.pending().get() || sold_out()
                    class=BUTTON_PRIMARY>
                    {move || {
                        let key = if action.pending().get() { "action.working" } else if sold_out() { "storefront.sold_out" } else { "cart.add" };
                        translate(lang.get(), key)
                    }}
                </button>
            </div>
            {move || quantity_error.get().map(|e| view! { <p id="add-quantity-error" class=FIELD_ERROR data-testid="error-quantity">{e}</p> })}
            {move || (fixed().is_some() || picked.get() == Picked::Unavailable).then(|| variant_error.get()).flatten().map(|e| view! { <p class=FIELD_ERROR>{e}</p> })}
            <FormAlert error/>
            {move || added.get().then(|| view! {
                <p role="status" data-testid="added-to-cart" class=NOTICE>
                    {t("cart.added")}" "
                    <a href="/cart" class="font-medium underline">{t("cart.view_cart")}</a>
                </p>
            })}
        </ActionForm>
    }
}
