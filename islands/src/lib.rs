//! The browser half of the storefront's browsing pages (home, category, search, product, seller
//! store): these pages are server-rendered HTML that works without JavaScript, and only their islands
//! (`agora_app::frame::islands`) come alive. Linking keeps only what the islands reach, so the page
//! downloads neither the router nor any other page.

// The islands' hydration functions are exported from `agora-app`; naming the crate links them in.
pub use agora_app::frame::islands;

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
