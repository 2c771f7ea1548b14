//! The one entry of every table operation. JavaScript's per-operation methods, named as their
//! operationIds, are installed on the class by js/methods.js from js/operations.js (generated from
//! the table) and each calls this export with its operationId: one export instead of one per
//! operation (less wasm, less glue, and a faster start), and a method reaches its own row whatever
//! the order of the list or the table.

use super::client::LuxSciClient;
use super::job::Job;
use crate::endpoints;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
impl LuxSciClient {
    /// The job of the operation named `id` (its LuxSci operationId) with the method's arguments
    /// (js/methods.js runs it, and removes this from the class once it has installed the methods).
    #[wasm_bindgen(js_name = __invoke)]
    pub fn operation(&self, id: &str, a: JsValue, b: JsValue, c: JsValue) -> Result<Job, JsValue> {
        self.invoke(endpoints::by_id(id), a, b, c)
    }
}
