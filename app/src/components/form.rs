use super::states::error_text;
use super::styles::{FIELD_ERROR, HINT, INPUT, LABEL, NOTICE};
use crate::error::AppError;
use crate::i18n::{t, translate, use_lang};
use leptos::prelude::*;

/// Empties a form once its action succeeded: what was typed was for that action only (a reason and a
/// password above all), and a page that reloads after it may reuse the form's elements. An edit
/// form's fields go back to their default values, which the reload then sets to what was saved: a
/// reset field follows its `value` attribute again, a field someone typed in would not.
pub fn reset_on_success<T: Send + Sync + 'static>(
    form: NodeRef<leptos::html::Form>,
    result: impl Fn() -> Option<Result<T, AppError>> + Send + Sync + 'static,
) {
    Effect::new(move |_| {
        if let (Some(Ok(_)), Some(form)) = (result(), form.get_untracked()) {
            form.reset();
        }
    });
}

/// The error message for `field` from the last result of a server action, translated.
pub fn field_error<T: 'static>(
    result: impl Fn() -> Option<Result<T, AppError>> + Send + Sync + 'static,
    field: &'static str,
) -> Signal<Option<String>> {
    let lang = use_lang();
    Signal::derive(move || match result() {
        Some(Err(e)) if e.field() == Some(field) => Some(error_text(lang.get(), &e)),
        _ => None,
    })
}

/// The error of the last result when it belongs to no field.
pub fn form_error<T: 'static>(
    result: impl Fn() -> Option<Result<T, AppError>> + Send + Sync + 'static,
) -> Signal<Option<String>> {
    let lang = use_lang();
    Signal::derive(move || match result() {
        Some(Err(e)) if e.field().is_none() => Some(error_text(lang.get(), &e)),
        _ => None,
    })
}

#[component]
pub fn TextField(
    /// Message key of the label.
    label: &'static str,
    name: &'static str,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] autocomplete: &'static str,
    #[prop(optional, into)] error: Signal<Option<String>>,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(optional, into)] value: String,
    #[prop(default = 256)] maxlength: usize,
    #[prop(default = true)] required: bool,
    /// The element id when one page has two forms with the same field (default `field-<name>`).
    #[prop(optional)]
    id: Option<String>,
) -> impl IntoView {
    let id = id.unwrap_or_else(|| format!("field-{name}"));
    let err_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let described = move || {
        let mut ids = vec![];
        if hint.is_some() {
            ids.push(hint_id.clone());
        }
        if error.get().is_some() {
            ids.push(err_id.clone());
        }
        ids.join(" ")
    };
    let hint_id2 = format!("{id}-hint");
    let err_id2 = format!("{id}-error");
    view! {
        <div class="space-y-1">
            <label for=id.clone() class="block text-sm font-medium text-slate-700">{t(label)}</label>
            <input
                id=id
                name=name
                type=kind
                value=value
                autocomplete=autocomplete
                maxlength=maxlength
                required=required
                aria-invalid=move || error.get().is_some().to_string()
                aria-describedby=described
                class="block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-200 aria-[invalid=true]:border-red-500"
            />
            {hint.map(|h| view! { <p id=hint_id2.clone() class="text-xs text-slate-500">{t(h)}</p> })}
            {move || error.get().map(|e| view! { <p id=err_id2.clone() class="text-sm text-red-600" data-testid=format!("error-{name}")>{e}</p> })}
        </div>
    }
}

#[component]
pub fn TextArea(
    label: &'static str,
    name: &'static str,
    #[prop(optional, into)] error: Signal<Option<String>>,
    #[prop(default = 2000)] maxlength: usize,
    #[prop(default = 3)] rows: usize,
    #[prop(optional)] hint: Option<&'static str>,
    /// What the field starts with (an edit form's current value).
    #[prop(optional, into)]
    value: String,
    #[prop(default = true)] required: bool,
    /// The element id, when two forms on one page have a field of the same name (default `field-<name>`).
    #[prop(optional, into)]
    id: Option<String>,
) -> impl IntoView {
    let id = id.unwrap_or_else(|| format!("field-{name}"));
    let (err_id, hint_id) = (format!("{id}-error"), format!("{id}-hint"));
    let (err_id2, hint_id2) = (err_id.clone(), hint_id.clone());
    let described = move || {
        let mut ids = vec![];
        if hint.is_some() {
            ids.push(hint_id.clone());
        }
        if error.get().is_some() {
            ids.push(err_id.clone());
        }
        ids.join(" ")
    };
    view! {
        <div class="space-y-1">
            <label for=id.clone() class=LABEL>{t(label)}</label>
            <textarea
                id=id
                name=name
                rows=rows
                maxlength=maxlength
                required=required
                aria-invalid=move || error.get().is_some().to_string()
                aria-describedby=described
                class=INPUT
            >{value}</textarea>
            {hint.map(|h| view! { <p id=hint_id2.clone() class=HINT>{t(h)}</p> })}
            {move || error.get().map(|e| view! { <p id=err_id2.clone() class=FIELD_ERROR data-testid=format!("error-{name}")>{e}</p> })}
        </div>
    }
}

/// A choice with its label and error: `options` are (value, message key of the label);
/// `placeholder` (a message key) adds an empty first choice, so `required` makes the person choose.
#[component]
pub fn SelectField(
    label: &'static str,
    name: &'static str,
    options: Vec<(&'static str, String)>,
    #[prop(optional)] placeholder: Option<&'static str>,
    #[prop(optional, into)] error: Signal<Option<String>>,
    #[prop(default = true)] required: bool,
    /// The option chosen to begin with (an edit form's current value).
    #[prop(optional)]
    selected: Option<String>,
    /// The element id when one page has several forms with this field (default `field-<name>`).
    #[prop(optional)]
    id: Option<String>,
) -> impl IntoView {
    let lang = use_lang();
    let id = id.unwrap_or_else(|| format!("field-{name}"));
    let err_id = format!("{id}-error");
    let err_id2 = err_id.clone();
    view! {
        <div class="space-y-1">
            <label for=id.clone() class=LABEL>{t(label)}</label>
            <select
                id=id
                name=name
                required=required
                aria-invalid=move || error.get().is_some().to_string()
                aria-describedby=move || if error.get().is_some() { err_id.clone() } else { String::new() }
                class=INPUT
            >
                {placeholder.map(|p| view! { <option value="">{t(p)}</option> })}
                {options.into_iter().map(|(value, key)| view! {
                    <option value=value selected=selected.as_deref() == Some(value)>{move || translate(lang.get(), &key)}</option>
                }).collect_view()}
            </select>
            {move || error.get().map(|e| view! { <p id=err_id2.clone() class=FIELD_ERROR data-testid=format!("error-{name}")>{e}</p> })}
        </div>
    }
}

/// "Done" after an action succeeded (`notice` holds its message key), announced politely.
#[component]
pub fn DoneNotice(notice: RwSignal<Option<&'static str>>) -> impl IntoView {
    move || notice.get().map(|key| view! { <p role="status" data-testid="action-done" class=NOTICE>{t(key)}</p> })
}

#[component]
pub fn FormAlert(#[prop(into)] error: Signal<Option<String>>) -> impl IntoView {
    view! {
        {move || error.get().map(|e| view! {
            <div role="alert" data-testid="form-error" class="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">{e}</div>
        })}
    }
}

#[component]
pub fn SubmitButton(
    label: &'static str,
    #[prop(into)] pending: Signal<bool>,
    #[prop(default = false)] danger: bool,
) -> impl IntoView {
    let colour = if danger {
        "bg-red-600 hover:bg-red-700 focus:ring-red-300"
    } else {
        "bg-indigo-600 hover:bg-indigo-700 focus:ring-indigo-300"
    };
    let lang = use_lang();
    view! {
        <button
            type="submit"
            disabled=move || pending.get()
            aria-busy=move || pending.get().to_string()
            class=format!("inline-flex items-center justify-center rounded-md px-4 py-2 text-sm font-semibold text-white shadow-sm focus:outline-none focus:ring-2 disabled:opacity-60 {colour}")
        >
            {move || if pending.get() { crate::i18n::translate(lang.get(), "action.working") } else { crate::i18n::translate(lang.get(), label) }}
        </button>
    }
}
