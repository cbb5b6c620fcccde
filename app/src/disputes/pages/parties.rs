//! `/disputes/:id`, for the dispute's two sides (the buyer and the seller's members): the order,
//! the claim, the status in plain words, the conversation with evidence, a message form with an
//! optional evidence file, and the outcome.

use super::body::{Conversation, DisputeSummary};
use crate::components::form::{field_error, form_error};
use crate::components::styles::{CARD, FIELD_ERROR, FILE_INPUT, H1, H2, HINT, INPUT, LABEL, MUTED, NOTICE};
use crate::components::{signed_out_error, DetailResult, FormAlert, SubmitButton};
use crate::disputes::api::{dispute_view, AddDisputeMessage};
use crate::disputes::model::DisputeThread;
use crate::domain::dispute::MESSAGE_MAX_CHARS;
use crate::error::AppError;
use crate::i18n::{fill, t, title, translate, use_lang};
use leptos::html;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn DisputePage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id")).and_then(|s| s.parse::<i64>().ok()).filter(|id| *id > 0);
    let refresh = RwSignal::new(0u32);
    // Kept here, not in the form: a refresh re-renders the form, and the notice must survive it.
    let action = ServerAction::<AddDisputeMessage>::new();
    let notice = RwSignal::new(false);
    Effect::new(move |_| {
        if let Some(Ok(_)) = action.value().get() {
            notice.set(true);
            refresh.update(|n| *n += 1);
        }
    });
    let dispute = Resource::new(
        move || (id(), refresh.get()),
        |(id, _)| async move {
            match id {
                Some(id) => dispute_view(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <Title text=title("disputes.title")/>
        <div class="mx-auto max-w-4xl space-y-6">
            <h1 class=H1>{t("disputes.title")}</h1>
            <DetailResult resource=dispute not_found="disputes.empty"
                on_error=move |e: AppError| signed_out_error(format!("/disputes/{}", id().unwrap_or_default()), e) let:d>
                <Thread d action notice/>
            </DetailResult>
        </div>
    }
}

/// The dispute as one side sees it: which side they are, the summary, the conversation, the form.
#[component]
fn Thread(d: DisputeThread, action: ServerAction<AddDisputeMessage>, notice: RwSignal<bool>) -> impl IntoView {
    let lang = use_lang();
    let order_href = match d.viewer_side.as_str() {
        "buyer" => format!("/orders/{}", d.order_number),
        _ => format!("/seller/orders/{}", d.order_number),
    };
    let side_key = format!("disputes.side.{}", d.viewer_side);
    view! {
        <p class="text-sm text-slate-600" data-testid="viewer-side">
            {move || fill(&translate(lang.get(), "disputes.you_are"), &[("side", translate(lang.get(), &side_key))])}
        </p>
        <DisputeSummary d=d.clone() order_href/>
        <Conversation messages=d.messages.clone()/>
        <MessageForm d action notice/>
    }
}

/// A message with an optional evidence file: the file goes first to `/uploads/evidence` (with the
/// order id), then the message refers to it.
#[component]
fn MessageForm(d: DisputeThread, action: ServerAction<AddDisputeMessage>, notice: RwSignal<bool>) -> impl IntoView {
    let lang = use_lang();
    if !d.is_open() {
        return view! { <p class=MUTED data-testid="dispute-closed">{t("disputes.closed_note")}</p> }.into_any();
    }
    let result = move || action.value().get();
    let form = NodeRef::<html::Form>::new();
    let uploading = RwSignal::new(false);
    let upload_error = RwSignal::new(None::<String>);
    let body_error = field_error(result, "body");
    let evidence_error = Signal::derive(move || upload_error.get().or_else(|| field_error(result, "evidence").get()));
    let (id, order_id) = (d.id, d.order_id);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(el) = form.get_untracked() else { return };
        upload_error.set(None);
        notice.set(false);
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            match send(&el, order_id, uploading).await {
                Ok((body, evidence_upload_id)) => {
                    action.dispatch(AddDisputeMessage { id, body, evidence_upload_id });
                }
                Err(code) => upload_error.set(Some(translate(lang.get_untracked(), &code))),
            }
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = (el, id, order_id);
    };
    let pending = Signal::derive(move || uploading.get() || action.pending().get());
    let left = d.messages_left;
    view! {
        <form node_ref=form on:submit=on_submit class=format!("{CARD} space-y-4") data-testid="dispute-message-form"
            aria-labelledby="message-form-title">
            <h2 id="message-form-title" class=H2>{t("disputes.add_message")}</h2>
            {move || notice.get().then(|| view! { <p role="status" data-testid="message-sent" class=NOTICE>{t("disputes.sent")}</p> })}
            // The body may be empty when a file is attached, and its hint counts the messages left.
            <div class="space-y-1">
                <label for="field-body" class=LABEL>{t("disputes.message")}</label>
                <textarea id="field-body" name="body" rows="4" maxlength=MESSAGE_MAX_CHARS class=INPUT
                    aria-describedby="field-body-hint" aria-invalid=move || body_error.get().is_some().to_string()></textarea>
                <p id="field-body-hint" class=HINT>
                    {move || fill(&translate(lang.get(), "disputes.messages_left"), &[("count", left.to_string())])}
                </p>
                {move || body_error.get().map(|e| view! { <p class=FIELD_ERROR data-testid="error-body">{e}</p> })}
            </div>
            <div class="space-y-1">
                <label for="field-file" class=LABEL>{t("disputes.evidence")}</label>
                <input id="field-file" name="file" type="file" accept="application/pdf,image/jpeg,image/png"
                    aria-describedby="field-file-hint" aria-invalid=move || evidence_error.get().is_some().to_string()
                    class=FILE_INPUT/>
                <p id="field-file-hint" class=HINT>
                    {move || translate(lang.get(), if uploading.get() { "disputes.evidence_uploading" } else { "disputes.evidence_hint" })}
                </p>
                {move || evidence_error.get().map(|e| view! { <p class=FIELD_ERROR data-testid="error-evidence">{e}</p> })}
            </div>
            <FormAlert error=form_error(result)/>
            <SubmitButton label="disputes.send" pending/>
        </form>
    }
    .into_any()
}

/// The form's body and, when a file is chosen, the id of its upload (uploaded first); on a refused
/// upload, the message key of why.
#[cfg(feature = "hydrate")]
async fn send(
    el: &web_sys::HtmlFormElement,
    order_id: i64,
    uploading: RwSignal<bool>,
) -> Result<(String, Option<i64>), String> {
    use wasm_bindgen::JsCast;
    let body = el
        .elements()
        .named_item("body")
        .and_then(|n| n.dyn_into::<web_sys::HtmlTextAreaElement>().ok())
        .map(|t| t.value())
        .unwrap_or_default();
    let file = el
        .elements()
        .named_item("file")
        .and_then(|n| n.dyn_into::<web_sys::HtmlInputElement>().ok())
        .and_then(|i| i.files())
        .and_then(|f| f.get(0));
    let Some(file) = file else { return Ok((body, None)) };
    uploading.set(true);
    let uploaded = async {
        let data = web_sys::FormData::new().map_err(|_| "error.network".to_string())?;
        data.append_with_str("order_id", &order_id.to_string()).map_err(|_| "error.network".to_string())?;
        data.append_with_blob_and_filename("file", &file, &file.name()).map_err(|_| "error.network".to_string())?;
        let answer =
            crate::components::upload::post_upload("/uploads/evidence", &data).await.map_err(|(_, code)| code)?;
        crate::components::upload::number_field(&answer, "id").ok_or_else(|| "error.internal".to_string())
    }
    .await;
    uploading.set(false);
    uploaded.map(|upload| (body, Some(upload)))
}
