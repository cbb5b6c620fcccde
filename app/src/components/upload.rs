//! Sending a file from the browser: `fetch` with a `FormData` body to one of the upload endpoints
//! (`server/src/http/uploads.rs`), which answer JSON: the stored upload, or `{field, code, message}`.

/// POSTs `data` to `url`. On success the JSON answer; on refusal the `(field, code)` the server named
/// (`code` is a message key; a network failure is `error.network`).
#[cfg(feature = "hydrate")]
pub async fn post_upload(url: &str, data: &web_sys::FormData) -> Result<wasm_bindgen::JsValue, (String, String)> {
    use leptos::prelude::window;
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    let network = || (String::new(), "error.network".to_string());
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    init.set_body(data);
    let request = web_sys::Request::new_with_str_and_init(url, &init).map_err(|_| network())?;
    let response: web_sys::Response = JsFuture::from(window().fetch_with_request(&request))
        .await
        .map_err(|_| network())?
        .dyn_into()
        .map_err(|_| network())?;
    let body = match response.json() {
        Ok(p) => JsFuture::from(p).await.ok(),
        Err(_) => None,
    };
    if response.ok() {
        return body.ok_or_else(|| (String::new(), "error.internal".to_string()));
    }
    let get = |k: &str| {
        body.as_ref()
            .and_then(|b| js_sys::Reflect::get(b, &k.into()).ok())
            .and_then(|v| v.as_string())
            .unwrap_or_default()
    };
    let code = get("code");
    let code = if code.is_empty() { "error.internal".to_string() } else { code };
    Err((get("field"), code))
}

/// A number field of an upload's JSON answer (its `id`).
#[cfg(feature = "hydrate")]
pub fn number_field(answer: &wasm_bindgen::JsValue, name: &str) -> Option<i64> {
    js_sys::Reflect::get(answer, &name.into()).ok().and_then(|v| v.as_f64()).map(|f| f as i64)
}
