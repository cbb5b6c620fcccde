//! Cart, checkout and address book pages.

use super::api::{
    checkout_preview, get_cart, list_addresses, AcceptCartPrice, Checkout, RemoveAddress, RemoveCartItem, SaveAddress,
    SelectCartItems, SetCartQuantity, SetDefaultAddress,
};
use super::components::{bump_cart, cart_refresh};
use super::model::{provider_hint_key, provider_key, CartLine, CartView, CheckoutView, SavedAddress, SellerGroup};
use crate::components::form::{field_error, form_error};
use crate::components::list::empty_state;
use crate::components::styles::{BUTTON_LINK, BUTTON_PRIMARY, CARD, CARD_BARE, CHECKBOX, FIELD_ERROR, WARNING};
use crate::components::{money, DetailResult, DoneNotice, FormAlert, StatusBadge, SubmitButton, TextField, Tone};
use crate::domain::money::Currency;
use crate::i18n::{fill, t, translate, use_lang};
use crate::session::use_session;
use crate::storefront::model::media_url;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::{use_navigate, use_query_map};

// ---------------------------------------------------------------------------------------------------
// The cart.

#[component]
pub fn CartPage() -> impl IntoView {
    let refresh = cart_refresh();
    let cart = Resource::new(move || refresh.get(), |_| get_cart());
    view! {
        <Title text=crate::i18n::title("cart.title")/>
        <div class="space-y-6">
            <h1 class="text-2xl font-semibold tracking-tight">{t("cart.title")}</h1>
            <DetailResult resource=cart let:c>
                {if c.is_empty() {
                    view! {
                        <div data-testid="cart-empty">
                            {empty_state("cart.empty", Some("cart.empty_hint"))}
                            <p class="text-center"><a href="/" class=BUTTON_LINK>{t("cart.continue_shopping")}</a></p>
                        </div>
                    }.into_any()
                } else {
                    view! { <CartBody cart=c/> }.into_any()
                }}
            </DetailResult>
        </div>
    }
}

#[component]
fn CartBody(cart: CartView) -> impl IntoView {
    let select_all = ServerAction::<SelectCartItems>::new();
    after_success(select_all);
    let all_selected = cart.lines().all(|l| l.selected);
    let currency = cart.currency;
    let items = cart.selected_items_total();
    let shipping = cart.selected_shipping_total();
    let orders = cart.groups.iter().filter(|g| g.has_selected()).count();
    let can = cart.can_check_out();
    let blocked = cart.lines().any(|l| l.selected && !l.ready());
    let lang = use_lang();
    view! {
        <div class="grid gap-6 lg:grid-cols-3">
            <div class="space-y-4 lg:col-span-2">
                <label class="flex items-center gap-2 text-sm text-slate-700">
                    <input type="checkbox" data-testid="select-all" checked=all_selected
                        on:change=move |ev| { select_all.dispatch(SelectCartItems { item_id: None, selected: event_target_checked(&ev) }); }
                        class=CHECKBOX/>
                    {t("cart.select_all")}
                </label>
                {cart.groups.into_iter().map(|g| view! { <SellerBlock group=g currency/> }).collect_view()}
            </div>
            <aside class=format!("{CARD_BARE} h-fit space-y-3 p-5") aria-labelledby="cart-summary" data-testid="cart-summary">
                <h2 id="cart-summary" class="font-semibold">{t("cart.summary")}</h2>
                <dl class="space-y-1 text-sm">
                    <div class="flex justify-between"><dt>{t("cart.items_total")}</dt><dd data-testid="items-total">{money(items, currency)}</dd></div>
                    <div class="flex justify-between">
                        <dt>{move || fill(&translate(lang.get(), "cart.shipping_n"), &[("n", orders.to_string())])}</dt>
                        <dd data-testid="shipping-total">{money(shipping, currency)}</dd>
                    </div>
                    <div class="flex justify-between border-t border-slate-200 pt-2 text-base font-semibold">
                        <dt>{t("cart.total")}</dt><dd data-testid="cart-total">{money(items + shipping, currency)}</dd>
                    </div>
                </dl>
                {blocked.then(|| view! { <p class="text-sm text-amber-700" data-testid="checkout-blocked">{t("cart.fix_warnings")}</p> })}
                {if can {
                    view! { <a href="/checkout" data-testid="go-to-checkout" class=format!("{BUTTON_PRIMARY} w-full")>{t("cart.checkout")}</a> }.into_any()
                } else {
                    view! { <button type="button" disabled=true class=format!("{BUTTON_PRIMARY} w-full opacity-60")>{t("cart.checkout")}</button> }.into_any()
                }}
            </aside>
        </div>
    }
}

/// Bumps the cart (this page and the header) after each success of `action`.
fn after_success<A>(action: ServerAction<A>)
where
    A: leptos::server_fn::ServerFn<Output = (), Error = crate::error::AppError> + Clone + Send + Sync + 'static,
    A::Output: Send + Sync + 'static,
{
    let value = action.value();
    Effect::new(move |_| {
        if let Some(Ok(())) = value.get() {
            bump_cart();
        }
    });
}

#[component]
fn SellerBlock(group: SellerGroup, currency: Currency) -> impl IntoView {
    let subtotal = group.selected_total();
    view! {
        <section class=CARD_BARE aria-label=group.seller_name.clone() data-testid="cart-seller">
            <header class="flex items-center justify-between border-b border-slate-100 px-5 py-3">
                <a href=format!("/s/{}", group.organisation_id) class="font-semibold hover:underline">{group.seller_name.clone()}</a>
                <span class="text-sm text-slate-500">{t("cart.subtotal")}" "{money(subtotal, currency)}</span>
            </header>
            <ul role="list" class="divide-y divide-slate-100">
                {group.lines.into_iter().map(|l| view! { <Line line=l currency/> }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn Line(line: CartLine, currency: Currency) -> impl IntoView {
    let quantity = ServerAction::<SetCartQuantity>::new();
    let remove = ServerAction::<RemoveCartItem>::new();
    let select = ServerAction::<SelectCartItems>::new();
    let accept = ServerAction::<AcceptCartPrice>::new();
    after_success(quantity);
    after_success(remove);
    after_success(select);
    after_success(accept);
    let qty_value = quantity.value();
    let qty_error = field_error(move || qty_value.get(), "quantity");
    let line_error = Signal::derive({
        let a = form_error(move || qty_value.get());
        let r = form_error(move || remove.value().get());
        let s = form_error(move || select.value().get());
        let p = form_error(move || accept.value().get());
        move || a.get().or(r.get()).or(s.get()).or(p.get())
    });
    let id = line.id;
    let qid = format!("qty-{id}");
    let price_changed = line.price_minor != line.price_seen_minor;
    let title = line.title.clone();
    view! {
        <li class="flex gap-4 px-5 py-4" data-testid="cart-line" data-sku=line.sku.clone()>
            <input type="checkbox" checked=line.selected aria-label=move || fill(&translate(use_lang().get(), "cart.select_line"), &[("title", title.clone())])
                data-testid="select-line"
                on:change=move |ev| { select.dispatch(SelectCartItems { item_id: Some(id), selected: event_target_checked(&ev) }); }
                class=format!("mt-1 {CHECKBOX}")/>
            <div class="h-16 w-16 shrink-0 overflow-hidden rounded-md bg-slate-100">
                {line.image.map(|img| view! { <img src=media_url(img) alt="" class="h-full w-full object-cover"/> })}
            </div>
            <div class="min-w-0 flex-1 space-y-2">
                <div class="flex flex-wrap items-baseline justify-between gap-2">
                    <div>
                        <a href=format!("/p/{}", line.listing_id) class="font-medium hover:underline" data-testid="line-title">{line.title.clone()}</a>
                        {(!line.variant_label.is_empty()).then(|| view! { <p class="text-sm text-slate-500" data-testid="line-variant">{line.variant_label.clone()}</p> })}
                        <p class="text-xs text-slate-400">{t("cart.sku")}" "{line.sku.clone()}</p>
                    </div>
                    <div class="text-right">
                        <p class="font-semibold" data-testid="line-total">{money(line.line_total(), currency)}</p>
                        <p class="text-sm text-slate-500">
                            {money(line.price_minor, currency)}" "{t("cart.each")}
                            {price_changed.then(|| view! { <s class="ml-1 text-slate-400"><span class="sr-only">{t("storefront.was")}" "</span>{money(line.price_seen_minor, currency)}</s> })}
                        </p>
                    </div>
                </div>
                {line.warnings.iter().map(|w| {
                    let w = *w;
                    view! {
                        <p role="status" class="flex flex-wrap items-center gap-2 rounded-md bg-amber-50 px-2 py-1 text-sm text-amber-800" data-testid="line-warning" data-code=w.code()>
                            {t(w.code())}
                            {(w == crate::domain::cart::Warning::PriceChanged).then(|| view! {
                                <ActionForm action=accept attr:class="inline">
                                    <input type="hidden" name="item_id" value=id.to_string()/>
                                    <button type="submit" class=BUTTON_LINK data-testid="accept-price" disabled=move || accept.pending().get()>{t("cart.accept_price")}</button>
                                </ActionForm>
                            })}
                        </p>
                    }
                }).collect_view()}
                <div class="flex flex-wrap items-end gap-4">
                    <ActionForm action=quantity attr:class="flex items-end gap-2">
                        <input type="hidden" name="item_id" value=id.to_string()/>
                        <div>
                            <label for=qid.clone() class="block text-xs font-medium text-slate-600">{t("cart.quantity")}</label>
                            <input id=qid name="quantity" type="number" inputmode="numeric" min="1" max="999" value=line.quantity.to_string() required
                                aria-invalid=move || qty_error.get().is_some().to_string()
                                class="block w-20 rounded-md border border-slate-300 bg-white px-2 py-1 text-sm aria-[invalid=true]:border-red-500"/>
                        </div>
                        <button type="submit" class="rounded-md border border-slate-300 px-3 py-1 text-sm hover:bg-slate-50" data-testid="update-quantity"
                            disabled=move || quantity.pending().get()>{t("cart.update")}</button>
                    </ActionForm>
                    <ActionForm action=remove attr:class="inline">
                        <input type="hidden" name="item_id" value=id.to_string()/>
                        <button type="submit" class="text-sm text-red-700 hover:underline" data-testid="remove-line" disabled=move || remove.pending().get()>{t("cart.remove")}</button>
                    </ActionForm>
                </div>
                {move || qty_error.get().map(|e| view! { <p class=FIELD_ERROR data-testid="error-quantity">{e}</p> })}
                <FormAlert error=line_error/>
            </div>
        </li>
    }
}

// ---------------------------------------------------------------------------------------------------
// Checkout.

#[component]
pub fn CheckoutPage() -> impl IntoView {
    let session = use_session();
    view! {
        <Title text=crate::i18n::title("checkout.title")/>
        {move || match session.viewer.get() {
            None => view! { <Redirect path="/signin?next=/checkout"/> }.into_any(),
            Some(_) => view! { <CheckoutBody/> }.into_any(),
        }}
    }
}

#[component]
fn CheckoutBody() -> impl IntoView {
    let preview = Resource::new(|| (), |_| checkout_preview());
    view! {
        <div class="space-y-6">
            <h1 class="text-2xl font-semibold tracking-tight">{t("checkout.title")}</h1>
            <DetailResult resource=preview let:p>
                {if p.cart.is_empty() {
                    view! {
                        <div data-testid="checkout-empty">
                            {empty_state("checkout.nothing", Some("checkout.nothing_hint"))}
                            <p class="text-center"><a href="/cart" class=BUTTON_LINK>{t("checkout.back_to_cart")}</a></p>
                        </div>
                    }.into_any()
                } else {
                    view! { <CheckoutForm preview=p/> }.into_any()
                }}
            </DetailResult>
        </div>
    }
}

#[component]
fn CheckoutForm(preview: CheckoutView) -> impl IntoView {
    let action = ServerAction::<Checkout>::new();
    let value = action.value();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(r)) = value.get() {
            bump_cart();
            navigate(&format!("/checkout/{}/pay", r.checkout_id), Default::default());
        }
    });
    let address_error = field_error(move || value.get(), "address_id");
    let method_error = field_error(move || value.get(), "payment_method");
    let error = Signal::derive({
        let f = form_error(move || value.get());
        let k = field_error(move || value.get(), "idempotency_key");
        move || f.get().or(k.get())
    });
    let currency = preview.cart.currency;
    let total = preview.total();
    let ready = preview.cart.can_check_out();
    let shipping = preview.cart.shipping_fee_minor;
    let has_address = !preview.addresses.is_empty();
    let first_provider = preview.providers.first().copied();
    view! {
        <ActionForm action=action attr:class="grid gap-6 lg:grid-cols-3" attr:data-testid="checkout-form">
            <input type="hidden" name="idempotency_key" value=preview.idempotency_key.clone()/>
            <div class="space-y-6 lg:col-span-2">
                {(!ready).then(|| view! {
                    <p role="alert" class=WARNING data-testid="checkout-not-ready">
                        {t("checkout.not_ready")}" "<a href="/cart" class="font-medium underline">{t("checkout.back_to_cart")}</a>
                    </p>
                })}
                <fieldset class=format!("{CARD_BARE} space-y-3 p-5") aria-describedby="address-error">
                    <legend class="px-1 font-semibold">{t("checkout.ship_to")}</legend>
                    {if has_address {
                        preview.addresses.iter().map(|a| {
                            let id = format!("address-{}", a.id);
                            view! {
                                <div class="flex items-start gap-2">
                                    <input type="radio" name="address_id" id=id.clone() value=a.id.to_string() checked=a.is_default required class="mt-1"/>
                                    <label for=id class="text-sm">
                                        {a.summary()}
                                        {a.is_default.then(|| view! { <span class="ml-2"><StatusBadge tone=Tone::Neutral label=t("address.default")/></span> })}
                                    </label>
                                </div>
                            }
                        }).collect_view().into_any()
                    } else {
                        view! { <p class="text-sm text-slate-600" data-testid="no-address">{t("checkout.no_address")}</p> }.into_any()
                    }}
                    <a href="/account/addresses?next=/checkout" class=BUTTON_LINK data-testid="manage-addresses">{t("checkout.manage_addresses")}</a>
                    {move || address_error.get().map(|e| view! { <p id="address-error" class=FIELD_ERROR>{e}</p> })}
                </fieldset>
                <fieldset class=format!("{CARD_BARE} space-y-3 p-5")>
                    <legend class="px-1 font-semibold">{t("checkout.pay_with")}</legend>
                    {preview.providers.iter().map(|p| {
                        let p = *p;
                        let id = format!("method-{}", p.as_str());
                        view! {
                            <div class="flex items-start gap-2">
                                <input type="radio" name="payment_method" id=id.clone() value=p.as_str() checked=Some(p) == first_provider required class="mt-1"/>
                                <label for=id class="text-sm">
                                    <span class="font-medium">{t(provider_key(p))}</span>
                                    <span class="block text-slate-500">{t(provider_hint_key(p))}</span>
                                </label>
                            </div>
                        }
                    }).collect_view()}
                    {move || method_error.get().map(|e| view! { <p class=FIELD_ERROR>{e}</p> })}
                </fieldset>
                <section class="space-y-4" aria-labelledby="checkout-orders">
                    <h2 id="checkout-orders" class="font-semibold">{t("checkout.orders")}</h2>
                    {preview.cart.groups.iter().cloned().enumerate().map(|(i, g)| view! { <OrderReview n=i + 1 group=g currency shipping/> }).collect_view()}
                </section>
            </div>
            <aside class=format!("{CARD_BARE} h-fit space-y-3 p-5")>
                <h2 class="font-semibold">{t("cart.summary")}</h2>
                <dl class="space-y-1 text-sm">
                    <div class="flex justify-between"><dt>{t("cart.items_total")}</dt><dd>{money(preview.cart.selected_items_total(), currency)}</dd></div>
                    <div class="flex justify-between"><dt>{t("checkout.shipping")}</dt><dd>{money(preview.cart.selected_shipping_total(), currency)}</dd></div>
                    <div class="flex justify-between border-t border-slate-200 pt-2 text-base font-semibold">
                        <dt>{t("cart.total")}</dt><dd data-testid="checkout-total">{money(total, currency)}</dd>
                    </div>
                </dl>
                <FormAlert error/>
                <SubmitButton label="checkout.place_order" pending=action.pending()/>
                <p class="text-xs text-slate-500">{t("checkout.pay_within")}</p>
            </aside>
        </ActionForm>
    }
}

#[component]
fn OrderReview(n: usize, group: SellerGroup, currency: Currency, shipping: i64) -> impl IntoView {
    let lang = use_lang();
    let items = group.selected_total();
    view! {
        <div class=CARD_BARE data-testid="checkout-order">
            <header class="flex justify-between border-b border-slate-100 px-5 py-3 text-sm">
                <span class="font-medium">{move || fill(&translate(lang.get(), "checkout.order_n"), &[("n", n.to_string())])}" · "{group.seller_name.clone()}</span>
                <span class="text-slate-500">{money(items + shipping, currency)}</span>
            </header>
            <ul role="list" class="divide-y divide-slate-100 text-sm">
                {group.lines.iter().map(|l| view! {
                    <li class="flex justify-between gap-4 px-5 py-2">
                        <span>
                            {l.title.clone()}
                            {(!l.variant_label.is_empty()).then(|| view! { <span class="text-slate-500">" · "{l.variant_label.clone()}</span> })}
                            <span class="text-slate-500">" × "{l.quantity}</span>
                            {l.warnings.first().map(|w| view! { <span class="ml-2 text-amber-700">{t(w.code())}</span> })}
                        </span>
                        <span>{money(l.line_total(), currency)}</span>
                    </li>
                }).collect_view()}
                <li class="flex justify-between px-5 py-2 text-slate-500"><span>{t("checkout.shipping")}</span><span>{money(shipping, currency)}</span></li>
            </ul>
        </div>
    }
}

// ---------------------------------------------------------------------------------------------------
// The address book.

#[component]
pub fn AddressesPage() -> impl IntoView {
    let session = use_session();
    view! {
        <Title text=crate::i18n::title("address.title")/>
        {move || match session.viewer.get() {
            None => view! { <Redirect path="/signin?next=/account/addresses"/> }.into_any(),
            Some(_) => view! { <AddressBook/> }.into_any(),
        }}
    }
}

#[component]
fn AddressBook() -> impl IntoView {
    let query = use_query_map();
    // Only a known page may be returned to (no open redirect).
    let back_to_checkout = move || query.with(|q| q.get("next")).as_deref() == Some("/checkout");
    let refresh = RwSignal::new(0u32);
    let editing = RwSignal::new(None::<SavedAddress>);
    let save = ServerAction::<SaveAddress>::new();
    let remove = ServerAction::<RemoveAddress>::new();
    let make_default = ServerAction::<SetDefaultAddress>::new();
    let notice = RwSignal::new(None::<&'static str>);
    Effect::new(move |_| {
        if let Some(Ok(_)) = save.value().get() {
            notice.set(Some("address.saved"));
            editing.set(None);
            refresh.update(|n| *n += 1);
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = remove.value().get() {
            notice.set(Some("address.removed"));
            refresh.update(|n| *n += 1);
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = make_default.value().get() {
            notice.set(Some("address.default_set"));
            refresh.update(|n| *n += 1);
        }
    });
    let list = Resource::new(move || refresh.get(), |_| list_addresses());
    let list_error = Signal::derive({
        let r = form_error(move || remove.value().get());
        let d = form_error(move || make_default.value().get());
        move || r.get().or(d.get())
    });
    view! {
        <div class="mx-auto max-w-3xl space-y-6">
            <header class="flex flex-wrap items-center justify-between gap-2">
                <h1 class="text-2xl font-semibold tracking-tight">{t("address.title")}</h1>
                {move || back_to_checkout().then(|| view! {
                    <a href="/checkout" class=BUTTON_LINK data-testid="back-to-checkout">{t("address.back_to_checkout")}</a>
                })}
            </header>
            <DoneNotice notice/>
            <FormAlert error=list_error/>
            <DetailResult resource=list let:rows>
                {if rows.is_empty() {
                    empty_state("address.empty", Some("address.empty_hint"))
                } else {
                    view! { <AddressList rows editing make_default remove/> }.into_any()
                }}
            </DetailResult>
            {move || {
                let current = editing.get();
                view! { <AddressForm current save editing/> }
            }}
        </div>
    }
}

#[component]
fn AddressForm(
    current: Option<SavedAddress>,
    save: ServerAction<SaveAddress>,
    editing: RwSignal<Option<SavedAddress>>,
) -> impl IntoView {
    let value = save.value();
    let result = move || value.get();
    let a = current.as_ref().map(|c| c.address.clone()).unwrap_or_default();
    let title = if current.is_some() { "address.edit_title" } else { "address.add_title" };
    let is_default = current.as_ref().is_some_and(|c| c.is_default);
    view! {
        <section class=CARD aria-labelledby="address-form-title">
            <h2 id="address-form-title" class="mb-4 font-semibold">{t(title)}</h2>
            <ActionForm action=save attr:class="grid gap-4 sm:grid-cols-2" attr:data-testid="address-form">
                {current.as_ref().map(|c| view! { <input type="hidden" name="id" value=c.id.to_string()/> })}
                <TextField label="address.recipient" name="recipient" autocomplete="name" maxlength=80 value=a.recipient.clone() error=field_error(result, "recipient")/>
                <TextField label="address.phone" name="phone" kind="tel" autocomplete="tel" maxlength=30 value=a.phone.clone() error=field_error(result, "phone")/>
                <div class="sm:col-span-2">
                    <TextField label="address.line1" name="line1" autocomplete="address-line1" maxlength=120 value=a.line1.clone() error=field_error(result, "line1")/>
                </div>
                <div class="sm:col-span-2">
                    <TextField label="address.line2" name="line2" autocomplete="address-line2" maxlength=120 required=false value=a.line2.clone() error=field_error(result, "line2")/>
                </div>
                <TextField label="address.city" name="city" autocomplete="address-level2" maxlength=80 value=a.city.clone() error=field_error(result, "city")/>
                <TextField label="address.region" name="region" autocomplete="address-level1" maxlength=80 required=false value=a.region.clone() error=field_error(result, "region")/>
                <TextField label="address.postal_code" name="postal_code" autocomplete="postal-code" maxlength=20 required=false value=a.postal_code.clone() error=field_error(result, "postal_code")/>
                <TextField label="address.country" name="country" autocomplete="country" maxlength=2 hint="address.country_hint" value=a.country.clone() error=field_error(result, "country")/>
                <label class="flex items-center gap-2 text-sm sm:col-span-2">
                    <input type="checkbox" name="make_default" value="on" checked=is_default class=CHECKBOX/>
                    {t("address.use_as_default")}
                </label>
                <div class="sm:col-span-2 space-y-3">
                    <FormAlert error=form_error(result)/>
                    <div class="flex items-center gap-3">
                        <SubmitButton label="address.save" pending=save.pending()/>
                        {current.is_some().then(|| view! {
                            <button type="button" class=BUTTON_LINK on:click=move |_| editing.set(None)>{t("address.cancel_edit")}</button>
                        })}
                    </div>
                </div>
            </ActionForm>
        </section>
    }
}

/// The saved addresses, each with edit / make default / remove.
#[component]
fn AddressList(
    rows: Vec<SavedAddress>,
    editing: RwSignal<Option<SavedAddress>>,
    make_default: ServerAction<SetDefaultAddress>,
    remove: ServerAction<RemoveAddress>,
) -> impl IntoView {
    view! {
        <ul role="list" class="space-y-3" data-testid="address-list">
            {rows.into_iter().map(|a| {
                let id = a.id;
                let for_edit = a.clone();
                view! {
                    <li class=format!("{CARD_BARE} flex flex-wrap items-start justify-between gap-3 p-4") data-testid="address">
                        <div class="text-sm">
                            <p class="font-medium">{a.address.recipient.clone()}" · "{a.address.phone.clone()}
                                {a.is_default.then(|| view! { <span class="ml-2"><StatusBadge tone=Tone::Progress label=t("address.default") testid="default-badge"/></span> })}
                            </p>
                            <p class="text-slate-600">{a.summary()}</p>
                        </div>
                        <div class="flex items-center gap-3">
                            <button type="button" class=BUTTON_LINK on:click=move |_| editing.set(Some(for_edit.clone()))>{t("address.edit")}</button>
                            {(!a.is_default).then(|| view! {
                                <ActionForm action=make_default attr:class="inline">
                                    <input type="hidden" name="id" value=id.to_string()/>
                                    <button type="submit" class=BUTTON_LINK>{t("address.make_default")}</button>
                                </ActionForm>
                            })}
                            <ActionForm action=remove attr:class="inline">
                                <input type="hidden" name="id" value=id.to_string()/>
                                <button type="submit" class="text-sm font-medium text-red-700 hover:underline">{t("address.remove")}</button>
                            </ActionForm>
                        </div>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}
