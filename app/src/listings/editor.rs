//! The listing editor: client-side state for every field of `domain::listing::RawListing`, images
//! uploaded with `fetch` + `FormData` to `/uploads/listing-image`, options that generate the variant
//! table, and "Save draft" / "Submit for review". A refusal names a field (`variants.1.price`...) and
//! its message shows next to that input.

use super::api::{save_listing, submit_listing};
use super::model::{combinations, suggest_sku};
use crate::categories::api::category_tree;
use crate::components::states::error_text;
use crate::domain::listing::{ListingOption, RawListing, RawVariant, MAX_IMAGES, MAX_OPTIONS, MAX_VARIANTS};
use crate::error::AppError;
use crate::i18n::{fill, t, translate, use_lang};
use leptos::prelude::*;

use crate::components::styles::{
    BUTTON_PRIMARY, BUTTON_SECONDARY, BUTTON_TINY, CARD, FIELD_ERROR, INPUT, LABEL, TH_COMPACT,
};

/// One option as typed: its name and its values as comma-separated text.
#[derive(Debug, Clone, PartialEq)]
struct OptionDraft {
    key: u32,
    name: String,
    values: String,
}

fn split_values(text: &str) -> Vec<String> {
    text.split([',', '，', '、']).map(|v| v.trim().to_string()).filter(|v| !v.is_empty()).collect()
}

fn combo_key(options: &[String]) -> Vec<String> {
    options.iter().map(|o| o.trim().to_lowercase()).collect()
}

/// The editor's state; every field a signal, read back into a `RawListing` on save.
#[derive(Clone, Copy)]
struct Editor {
    title: RwSignal<String>,
    description: RwSignal<String>,
    category: RwSignal<String>,
    price: RwSignal<String>,
    compare_at: RwSignal<String>,
    stock: RwSignal<String>,
    weight: RwSignal<String>,
    images: RwSignal<Vec<i64>>,
    options: RwSignal<Vec<OptionDraft>>,
    variants: RwSignal<Vec<RawVariant>>,
    /// Combinations the seller removed from the table; regenerating the table does not bring them back.
    removed: RwSignal<Vec<Vec<String>>>,
    next_key: StoredValue<u32>,
}

impl Editor {
    fn new(raw: &RawListing) -> Editor {
        let options: Vec<OptionDraft> = raw
            .options
            .iter()
            .enumerate()
            .map(|(i, o)| OptionDraft { key: i as u32, name: o.name.clone(), values: o.values.join(", ") })
            .collect();
        let values: Vec<Vec<String>> = raw.options.iter().map(|o| o.values.clone()).collect();
        let present: Vec<Vec<String>> = raw.variants.iter().map(|v| combo_key(&v.options)).collect();
        let removed = combinations(&values, MAX_VARIANTS * 10)
            .into_iter()
            .map(|c| combo_key(&c))
            .filter(|c| !present.contains(c))
            .collect();
        Editor {
            title: RwSignal::new(raw.title.clone()),
            description: RwSignal::new(raw.description.clone()),
            category: RwSignal::new(raw.category_id.map(|c| c.to_string()).unwrap_or_default()),
            price: RwSignal::new(raw.price.clone()),
            compare_at: RwSignal::new(raw.compare_at.clone()),
            stock: RwSignal::new(raw.stock.clone()),
            weight: RwSignal::new(raw.weight_grams.clone()),
            images: RwSignal::new(raw.images.clone()),
            next_key: StoredValue::new(options.len() as u32),
            options: RwSignal::new(options),
            variants: RwSignal::new(raw.variants.clone()),
            removed: RwSignal::new(removed),
        }
    }

    fn raw(&self) -> RawListing {
        let options: Vec<ListingOption> = self
            .options
            .get_untracked()
            .into_iter()
            .map(|o| ListingOption { name: o.name.trim().to_string(), values: split_values(&o.values) })
            .collect();
        RawListing {
            title: self.title.get_untracked(),
            description: self.description.get_untracked(),
            category_id: self.category.get_untracked().parse().ok(),
            price: self.price.get_untracked(),
            compare_at: self.compare_at.get_untracked(),
            stock: self.stock.get_untracked(),
            weight_grams: self.weight.get_untracked(),
            variants: if options.is_empty() { vec![] } else { self.variants.get_untracked() },
            options,
            images: self.images.get_untracked(),
        }
    }

    /// Rebuilds the variant table from the options: one row per combination, keeping what was typed
    /// in rows that still exist, new rows prefilled from the single price and stock.
    fn sync_variants(&self) {
        let values: Vec<Vec<String>> = self.options.get_untracked().iter().map(|o| split_values(&o.values)).collect();
        let removed = self.removed.get_untracked();
        let combos: Vec<Vec<String>> = combinations(&values, MAX_VARIANTS * 10)
            .into_iter()
            .filter(|c| !removed.contains(&combo_key(c)))
            .take(MAX_VARIANTS)
            .collect();
        let old = self.variants.get_untracked();
        let prefix = self.title.get_untracked();
        let (price, compare_at, stock) =
            (self.price.get_untracked(), self.compare_at.get_untracked(), self.stock.get_untracked());
        let rows = combos
            .into_iter()
            .map(|c| match old.iter().find(|v| combo_key(&v.options) == combo_key(&c)) {
                Some(v) => RawVariant { options: c, ..v.clone() },
                None => RawVariant {
                    sku: suggest_sku(&prefix, &c),
                    options: c,
                    price: price.clone(),
                    compare_at: compare_at.clone(),
                    stock: stock.clone(),
                },
            })
            .collect();
        self.variants.set(rows);
    }
}

/// What happens after a successful save (`submitted` = false) or submission: the listing id.
pub type Done = Callback<(i64, bool)>;

/// The error of the last save for `field`, translated (the editor keeps the whole error).
fn field_err(error: RwSignal<Option<AppError>>, field: &'static str) -> Signal<Option<String>> {
    let lang = use_lang();
    Signal::derive(move || {
        error.with(|e| e.as_ref().filter(|e| e.field() == Some(field)).map(|e| error_text(lang.get(), e)))
    })
}

#[component]
pub fn ListingEditor(
    /// The listing being edited; `None` creates one.
    id: Option<i64>,
    initial: RawListing,
    on_done: Done,
) -> impl IntoView {
    let ed = Editor::new(&initial);
    let current_id = RwSignal::new(id);
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<AppError>);
    let run = Callback::new(move |submit: bool| {
        let json = serde_json::to_string(&ed.raw()).unwrap_or_default();
        pending.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            let result = save_then_submit(current_id, json, submit).await;
            pending.set(false);
            match result {
                Ok(listing_id) => on_done.run((listing_id, submit)),
                Err(e) => error.set(Some(e)),
            }
        });
    });
    view! {
        <form class="space-y-6" data-testid="listing-editor" on:submit=move |ev| { ev.prevent_default(); run.run(false); }>
            <Basics ed error/>
            <Images images=ed.images error=field_err(error, "images")/>
            <Pricing ed error/>
            <Options ed error/>
            <EditorActions pending error run/>
        </form>
    }
}

/// Saves the draft (creating the listing the first time), then submits it when asked.
async fn save_then_submit(current_id: RwSignal<Option<i64>>, json: String, submit: bool) -> Result<i64, AppError> {
    let listing_id = save_listing(current_id.get_untracked(), json).await?;
    current_id.set(Some(listing_id));
    if submit {
        submit_listing(listing_id).await?;
    }
    Ok(listing_id)
}

#[component]
fn Basics(ed: Editor, error: RwSignal<Option<AppError>>) -> impl IntoView {
    let err = move |field: &'static str| field_err(error, field);
    view! {
        <section class=CARD aria-labelledby="ed-basics">
            <h2 id="ed-basics" class="mb-4 font-semibold">{t("seller_center.basics")}</h2>
            <div class="space-y-4">
                <BoundInput id="listing-title" label="seller_center.field.title" value=ed.title error=err("title") maxlength=200 required=true/>
                <Field id="listing-description" label="seller_center.field.description" error=err("description")>
                    <textarea id="listing-description" rows="6" maxlength="6000" class=INPUT
                        prop:value=move || ed.description.get() on:input=move |ev| ed.description.set(event_target_value(&ev))
                        aria-invalid=move || err("description").get().is_some().to_string() aria-describedby="listing-description-error"></textarea>
                </Field>
                <CategorySelect value=ed.category error=err("category_id")/>
            </div>
        </section>
    }
}

#[component]
fn Pricing(ed: Editor, error: RwSignal<Option<AppError>>) -> impl IntoView {
    let err = move |field: &'static str| field_err(error, field);
    let has_options = move || ed.options.with(|o| !o.is_empty());
    view! {
        <section class=CARD aria-labelledby="ed-pricing">
            <h2 id="ed-pricing" class="mb-4 font-semibold">{t("seller_center.pricing")}</h2>
            <div class="grid gap-4 sm:grid-cols-2">
                {move || (!has_options()).then(|| view! {
                    <BoundInput id="listing-price" label="seller_center.field.price" value=ed.price error=err("price") maxlength=20 inputmode="decimal"/>
                    <BoundInput id="listing-compare-at" label="seller_center.field.compare_at" value=ed.compare_at error=err("compare_at") maxlength=20 inputmode="decimal"/>
                    <BoundInput id="listing-stock" label="seller_center.field.stock" value=ed.stock error=err("stock") maxlength=12 inputmode="numeric"/>
                })}
                <BoundInput id="listing-weight" label="seller_center.field.weight" value=ed.weight error=err("weight_grams") maxlength=12 inputmode="numeric"/>
            </div>
        </section>
    }
}

/// The form's alert (a field error is also summed up here) and "Save draft" / "Submit for review".
#[component]
fn EditorActions(pending: RwSignal<bool>, error: RwSignal<Option<AppError>>, run: Callback<bool>) -> impl IntoView {
    let lang = use_lang();
    let alert = move || {
        error.with(|e| {
            e.as_ref().map(|e| match e.field() {
                Some(_) => {
                    format!("{} {}", translate(lang.get(), "seller_center.form_has_errors"), error_text(lang.get(), e))
                }
                None => error_text(lang.get(), e),
            })
        })
    };
    view! {
        <div role="alert" aria-live="assertive">
            {move || alert().map(|text| view! {
                <p data-testid="form-error" class="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">{text}</p>
            })}
        </div>
        <div class="flex flex-wrap gap-3">
            <button type="submit" disabled=move || pending.get() aria-busy=move || pending.get().to_string() class=BUTTON_SECONDARY>
                {move || translate(lang.get(), if pending.get() { "action.working" } else { "seller_center.save_draft" })}
            </button>
            <button type="button" on:click=move |_| run.run(true) disabled=move || pending.get() class=BUTTON_PRIMARY>
                {move || translate(lang.get(), if pending.get() { "action.working" } else { "seller_center.submit" })}
            </button>
        </div>
    }
}

/// A one-line text input bound to `value`, with its label and its error (`{id}-error`).
#[component]
fn BoundInput(
    id: &'static str,
    label: &'static str,
    value: RwSignal<String>,
    #[prop(into)] error: Signal<Option<String>>,
    maxlength: usize,
    #[prop(optional)] inputmode: Option<&'static str>,
    #[prop(optional)] required: bool,
) -> impl IntoView {
    view! {
        <Field id label error>
            <input id=id type="text" inputmode=inputmode maxlength=maxlength required=required class=INPUT
                prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))
                aria-invalid=move || error.get().is_some().to_string() aria-describedby=format!("{id}-error")/>
        </Field>
    }
}

/// A label, the input, and its error below (`{id}-error`).
#[component]
fn Field(
    id: &'static str,
    label: &'static str,
    #[prop(into)] error: Signal<Option<String>>,
    children: Children,
) -> impl IntoView {
    view! {
        <div class="space-y-1">
            <label for=id class=LABEL>{t(label)}</label>
            {children()}
            {move || error.get().map(|e| view! {
                <p id=format!("{id}-error") class=FIELD_ERROR data-testid=format!("error-{id}")>{e}</p>
            })}
        </div>
    }
}

#[component]
fn CategorySelect(value: RwSignal<String>, #[prop(into)] error: Signal<Option<String>>) -> impl IntoView {
    let lang = use_lang();
    let tree = Resource::new(|| (), |_| category_tree(true));
    view! {
        <Field id="listing-category" label="seller_center.field.category" error>
            <Transition fallback=|| view! { <select id="listing-category" class=INPUT disabled=true></select> }>
                {move || tree.get().map(|r| {
                    let nodes = r.unwrap_or_default();
                    view! {
                        <select id="listing-category" class=INPUT
                            on:change=move |ev| value.set(event_target_value(&ev))
                            aria-invalid=move || error.get().is_some().to_string() aria-describedby="listing-category-error">
                            <option value="" selected=move || value.get().is_empty()>{t("seller_center.field.no_category")}</option>
                            {nodes.into_iter().map(|n| {
                                let id = n.id.to_string();
                                let id2 = id.clone();
                                let indent = "\u{2003}".repeat(n.depth);
                                let disabled = n.disabled || !n.browsable;
                                view! {
                                    <option value=id disabled=disabled selected=move || value.get() == id2>
                                        {move || format!("{indent}{}{}", n.name(lang.get()),
                                            if disabled { format!(" {}", translate(lang.get(), "seller_center.field.category_disabled")) } else { String::new() })}
                                    </option>
                                }
                            }).collect_view()}
                        </select>
                    }
                })}
            </Transition>
        </Field>
    }
}

#[component]
fn Images(images: RwSignal<Vec<i64>>, #[prop(into)] error: Signal<Option<String>>) -> impl IntoView {
    let lang = use_lang();
    let uploading = RwSignal::new(false);
    let upload_error = RwSignal::new(None::<String>);
    let shown_error = Signal::derive(move || upload_error.get().or_else(|| error.get()));
    let on_change = move |ev: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else { return };
            let Some(files) = input.files() else { return };
            let files: Vec<web_sys::File> = (0..files.length()).filter_map(|i| files.get(i)).collect();
            input.set_value("");
            upload_error.set(None);
            uploading.set(true);
            leptos::task::spawn_local(async move {
                for file in files {
                    if images.with_untracked(|i| i.len()) >= MAX_IMAGES {
                        upload_error.set(Some(translate(lang.get_untracked(), "listings.too_many_images")));
                        break;
                    }
                    match upload_image(&file).await {
                        Ok(id) => images.update(|i| {
                            if !i.contains(&id) {
                                i.push(id)
                            }
                        }),
                        Err(code) => {
                            upload_error.set(Some(translate(lang.get_untracked(), &code)));
                            break;
                        }
                    }
                }
                uploading.set(false);
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (ev, uploading);
    };
    let swap = move |i: usize, j: usize| {
        images.update(|v| {
            if i < v.len() && j < v.len() {
                v.swap(i, j)
            }
        })
    };
    view! {
        <section class=CARD aria-labelledby="ed-images">
            <h2 id="ed-images" class="font-semibold">{t("seller_center.field.images")}</h2>
            <p id="listing-images-hint" class="mt-1 text-xs text-slate-500">{t("seller_center.field.images_hint")}</p>
            <ol class="mt-4 grid grid-cols-2 gap-3 sm:grid-cols-5" data-testid="listing-images">
                {move || {
                    let list = images.get();
                    let n = list.len();
                    list.into_iter().enumerate().map(|(i, id)| {
                        let alt = move || fill(&translate(lang.get(), "seller_center.field.image_n"), &[("n", (i + 1).to_string())]);
                        view! {
                            <li class="space-y-1 rounded-lg border border-slate-200 p-2" data-testid="listing-image">
                                <img src=format!("/media/{id}") alt=alt class="aspect-square w-full rounded object-cover bg-slate-100"/>
                                <div class="flex flex-wrap gap-1">
                                    <button type="button" class=BUTTON_TINY disabled={i == 0} on:click=move |_| swap(i, i.wrapping_sub(1))
                                        aria-label=move || format!("{} {}", translate(lang.get(), "seller_center.field.move_up"), alt())>"↑"</button>
                                    <button type="button" class=BUTTON_TINY disabled={i + 1 == n} on:click=move |_| swap(i, i + 1)
                                        aria-label=move || format!("{} {}", translate(lang.get(), "seller_center.field.move_down"), alt())>"↓"</button>
                                    <button type="button" class=BUTTON_TINY on:click=move |_| images.update(|v| { if i < v.len() { v.remove(i); } })
                                        aria-label=move || format!("{} {}", translate(lang.get(), "seller_center.field.remove"), alt())>{t("seller_center.field.remove")}</button>
                                </div>
                            </li>
                        }
                    }).collect_view()
                }}
            </ol>
            <div class="mt-4 space-y-1">
                <label for="listing-image-file" class="inline-flex cursor-pointer items-center rounded-md border border-slate-300 bg-white px-3 py-2 text-sm font-medium text-slate-700 hover:bg-slate-50 focus-within:ring-2 focus-within:ring-indigo-200">
                    {move || translate(lang.get(), if uploading.get() { "seller_center.field.uploading" } else { "seller_center.field.add_image" })}
                </label>
                <input id="listing-image-file" type="file" multiple=true accept="image/jpeg,image/png,image/webp" class="sr-only"
                    disabled=move || uploading.get() || images.with(|i| i.len() >= MAX_IMAGES)
                    aria-describedby="listing-images-hint listing-images-error" on:change=on_change/>
                {move || shown_error.get().map(|e| view! { <p id="listing-images-error" class=FIELD_ERROR data-testid="error-images">{e}</p> })}
            </div>
        </section>
    }
}

/// POSTs one file to `/uploads/listing-image`; the new upload's id, or the message key of the refusal.
#[cfg(feature = "hydrate")]
async fn upload_image(file: &web_sys::File) -> Result<i64, String> {
    use crate::components::upload::{number_field, post_upload};
    let data = web_sys::FormData::new().map_err(|_| "error.network".to_string())?;
    data.append_with_blob_and_filename("file", file, &file.name()).map_err(|_| "error.network".to_string())?;
    let answer = post_upload("/uploads/listing-image", &data).await.map_err(|(_, code)| code)?;
    number_field(&answer, "id").ok_or_else(|| "error.internal".to_string())
}

#[component]
fn Options(ed: Editor, error: RwSignal<Option<AppError>>) -> impl IntoView {
    let lang = use_lang();
    let err = move |field: String| {
        error.with(|e| e.as_ref().filter(|e| e.field() == Some(field.as_str())).map(|e| error_text(lang.get(), e)))
    };
    let add = move |_| {
        if ed.options.with_untracked(|o| o.len()) >= MAX_OPTIONS {
            return;
        }
        let key = ed.next_key.get_value();
        ed.next_key.set_value(key + 1);
        ed.options.update(|o| o.push(OptionDraft { key, name: String::new(), values: String::new() }));
        ed.sync_variants();
    };
    let index_of = move |key: u32| ed.options.with(|o| o.iter().position(|x| x.key == key));
    view! {
        <section class=CARD aria-labelledby="ed-options">
            <h2 id="ed-options" class="font-semibold">{t("seller_center.field.options")}</h2>
            <p class="mt-1 text-xs text-slate-500">{t("seller_center.field.options_hint")}</p>
            {move || err("options".into()).map(|e| view! { <p class="mt-2 text-sm text-red-600" data-testid="error-options">{e}</p> })}
            <div class="mt-4 space-y-3">
                <For each=move || ed.options.get() key=|o| o.key let:option>
                    {
                        let key = option.key;
                        let name_id = format!("option-{key}-name");
                        let values_id = format!("option-{key}-values");
                        let name_err = move || index_of(key).and_then(|i| err(format!("options.{i}.name")));
                        let values_err = move || index_of(key).and_then(|i| err(format!("options.{i}.values")));
                        let update = move |f: &dyn Fn(&mut OptionDraft)| {
                            ed.options.update(|o| {
                                if let Some(x) = o.iter_mut().find(|x| x.key == key) {
                                    f(x)
                                }
                            });
                            ed.sync_variants();
                        };
                        view! {
                            <fieldset class="grid gap-3 rounded-lg border border-slate-200 p-3 sm:grid-cols-[1fr_2fr_auto] sm:items-start" data-testid="option-row">
                                <div class="space-y-1">
                                    <label for=name_id.clone() class=LABEL>{t("seller_center.field.option_name")}</label>
                                    <input id=name_id type="text" maxlength="30" class=INPUT value=option.name.clone()
                                        on:input=move |ev| { let v = event_target_value(&ev); update(&|x| x.name = v.clone()); }
                                        aria-invalid=move || name_err().is_some().to_string()/>
                                    {move || name_err().map(|e| view! { <p class=FIELD_ERROR>{e}</p> })}
                                </div>
                                <div class="space-y-1">
                                    <label for=values_id.clone() class=LABEL>{t("seller_center.field.option_values")}</label>
                                    <input id=values_id type="text" maxlength="700" class=INPUT value=option.values.clone()
                                        on:input=move |ev| { let v = event_target_value(&ev); update(&|x| x.values = v.clone()); }
                                        aria-invalid=move || values_err().is_some().to_string()/>
                                    {move || values_err().map(|e| view! { <p class=FIELD_ERROR>{e}</p> })}
                                </div>
                                <button type="button" class="self-end rounded-md px-3 py-2 text-sm text-red-700 hover:bg-red-50"
                                    on:click=move |_| { ed.options.update(|o| o.retain(|x| x.key != key)); ed.removed.set(vec![]); ed.sync_variants(); }>
                                    {t("seller_center.field.remove_option")}
                                </button>
                            </fieldset>
                        }
                    }
                </For>
            </div>
            <button type="button" on:click=add disabled=move || ed.options.with(|o| o.len() >= MAX_OPTIONS)
                class="mt-3 rounded-md border border-slate-300 bg-white px-3 py-2 text-sm font-medium text-slate-700 hover:bg-slate-50 disabled:opacity-50">
                {t("seller_center.field.add_option")}
            </button>
            {move || (!ed.options.with(|o| o.is_empty())).then(|| view! { <Variants ed error/> })}
        </section>
    }
}

#[component]
fn Variants(ed: Editor, error: RwSignal<Option<AppError>>) -> impl IntoView {
    let lang = use_lang();
    let err = move |field: String| {
        error.with(|e| e.as_ref().filter(|e| e.field() == Some(field.as_str())).map(|e| error_text(lang.get(), e)))
    };
    view! {
        <div class="mt-6">
            <h3 class="font-semibold">{t("seller_center.field.variants")}</h3>
            {move || err("variants".into()).map(|e| view! { <p class="mt-1 text-sm text-red-600" data-testid="error-variants">{e}</p> })}
            {move || ed.variants.with(|v| v.is_empty()).then(|| view! {
                <p class="mt-2 text-sm text-slate-500" data-testid="variants-empty">{t("seller_center.field.no_variants")}</p>
            })}
            <div class="mt-2 overflow-x-auto">
                <table class="min-w-full text-sm" data-testid="variants-table">
                    <thead>
                        <tr>
                            <th scope="col" class=TH_COMPACT>{t("seller_center.field.variant")}</th>
                            <th scope="col" class=TH_COMPACT>{t("seller_center.field.sku")}</th>
                            <th scope="col" class=TH_COMPACT>{t("seller_center.field.price")}</th>
                            <th scope="col" class=TH_COMPACT>{t("seller_center.field.compare_at")}</th>
                            <th scope="col" class=TH_COMPACT>{t("seller_center.field.stock")}</th>
                            <th scope="col" class=TH_COMPACT><span class="sr-only">{t("seller_center.field.remove_variant")}</span></th>
                        </tr>
                    </thead>
                    <tbody class="divide-y divide-slate-100">
                        <For each=move || ed.variants.get() key=|v| combo_key(&v.options) let:variant>
                            {
                                let key = combo_key(&variant.options);
                                let label = variant.options.join(" / ");
                                let k = key.clone();
                                let index = move || ed.variants.with(|v| v.iter().position(|x| combo_key(&x.options) == k));
                                let combo_err = {
                                    let index = index.clone();
                                    move || index().and_then(|i| err(format!("variants.{i}.options")))
                                };
                                let remove_key = key.clone();
                                let remove_label = label.clone();
                                let row_label = label.clone();
                                let cell = move |name: &'static str, get: fn(&RawVariant) -> String, set: fn(&mut RawVariant, String), mode: &'static str| {
                                    let (k2, k3, label, index) = (key.clone(), key.clone(), label.clone(), index.clone());
                                    let field_err = move || index().and_then(|i| err(format!("variants.{i}.{name}")));
                                    let aria = move || format!("{} — {}", translate(lang.get(), match name {
                                        "sku" => "seller_center.field.sku",
                                        "price" => "seller_center.field.price",
                                        "compare_at" => "seller_center.field.compare_at",
                                        _ => "seller_center.field.stock",
                                    }), label);
                                    let field_err2 = field_err.clone();
                                    view! {
                                        <td class="px-2 py-2 align-top">
                                            <input type="text" inputmode=mode maxlength="40" class=INPUT aria-label=aria
                                                data-testid=format!("variant-{name}")
                                                prop:value=move || ed.variants.with(|v| v.iter().find(|x| combo_key(&x.options) == k2).map(get).unwrap_or_default())
                                                on:input=move |ev| {
                                                    let value = event_target_value(&ev);
                                                    ed.variants.update(|v| if let Some(x) = v.iter_mut().find(|x| combo_key(&x.options) == k3) { set(x, value) });
                                                }
                                                aria-invalid=move || field_err().is_some().to_string()/>
                                            {move || field_err2().map(|e| view! { <p class="text-xs text-red-600">{e}</p> })}
                                        </td>
                                    }
                                };
                                view! {
                                    <tr data-testid="variant-row">
                                        <th scope="row" class="px-2 py-2 text-left align-top font-medium">
                                            {row_label}
                                            {move || combo_err().map(|e| view! { <p class="text-xs font-normal text-red-600">{e}</p> })}
                                        </th>
                                        {cell("sku", |v| v.sku.clone(), |v, s| v.sku = s, "text")}
                                        {cell("price", |v| v.price.clone(), |v, s| v.price = s, "decimal")}
                                        {cell("compare_at", |v| v.compare_at.clone(), |v, s| v.compare_at = s, "decimal")}
                                        {cell("stock", |v| v.stock.clone(), |v, s| v.stock = s, "numeric")}
                                        <td class="px-2 py-2 align-top">
                                            <button type="button" class=BUTTON_TINY
                                                aria-label=move || format!("{} {}", translate(lang.get(), "seller_center.field.remove_variant"), remove_label)
                                                on:click=move |_| {
                                                    let k = remove_key.clone();
                                                    ed.removed.update(|r| r.push(k.clone()));
                                                    ed.variants.update(|v| v.retain(|x| combo_key(&x.options) != k));
                                                }>"✕"</button>
                                        </td>
                                    </tr>
                                }
                            }
                        </For>
                    </tbody>
                </table>
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::split_values;

    #[test]
    fn values_split_on_latin_and_chinese_commas() {
        assert_eq!(split_values("Red, Blue，绿、 "), vec!["Red", "Blue", "绿"]);
    }
}
