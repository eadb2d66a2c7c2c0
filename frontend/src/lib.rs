//! The browser entry point: hydrates the server-rendered page.

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // Lazy routes (the `split` build, see `app::App`) hydrate asynchronously, once the chunk of
    // the page's area is loaded.
    #[cfg(feature = "split")]
    wasm_bindgen_futures::spawn_local(async {
        if let Some(body) = leptos::prelude::document().body() {
            leptos::mount::hydrate_from_async(body, app::App).await.forget();
            mark_hydrated();
        }
    });
    #[cfg(not(feature = "split"))]
    {
        leptos::mount::hydrate_body(app::App);
        mark_hydrated();
    }
}

/// `<html data-hydrated>` once the whole page is live (and never if hydration failed), for
/// scripts and the end-to-end tests.
fn mark_hydrated() {
    if let Some(root) = leptos::prelude::document().document_element() {
        let _ = root.set_attribute("data-hydrated", "");
    }
}
