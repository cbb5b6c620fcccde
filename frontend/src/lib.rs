//! The browser half of Agora: hydrates the server-rendered page. Everything else lives in `agora-app`.

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(agora_app::App);
}
