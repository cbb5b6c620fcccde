//! The browser half of Agora: hydrates the server-rendered page. Everything else lives in `agora-app`.

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // `hydrate_lazy`, not `hydrate_body`: a page of a lazily loaded section (console, seller center,
    // account; see `agora_app::frame::sections`) hydrates once its WASM chunk has arrived.
    leptos::mount::hydrate_lazy(agora_app::App);
}
