//! The browser entry point: hydrates the server-rendered page.

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // Lazy routes (the `split` build, see `app::App`) hydrate asynchronously, once the chunk of
    // the page's area is loaded.
    #[cfg(feature = "split")]
    leptos::mount::hydrate_lazy(app::App);
    #[cfg(not(feature = "split"))]
    leptos::mount::hydrate_body(app::App);
}
