//! One JavaScript method per table row, named as its operationId and shaped by the row's `Shape`;
//! each only hands its arguments to `LuxSciClient::invoke`. Types and docs for TypeScript are
//! generated from the same rows (see `tests/generated.rs`).

use super::client::LuxSciClient;
use js_sys::Promise;
use wasm_bindgen::prelude::*;

macro_rules! define_methods {
    ($([$id:ident, $method:ident, $path:literal, $shape:ident($($param:ident)? $(,)? $($input:literal)?),
       $out:literal, $src:ident, $retry:ident, $doc:literal])*) => {
        $( define_methods!(@shape $shape $id $doc); )*
    };
    (@shape Auth $id:ident $doc:literal) => {};
    (@shape Options $id:ident $doc:literal) => { define_methods!(@one $id $doc); };
    (@shape Param $id:ident $doc:literal) => { define_methods!(@two $id $doc); };
    (@shape Body $id:ident $doc:literal) => { define_methods!(@two $id $doc); };
    (@shape Send $id:ident $doc:literal) => { define_methods!(@two $id $doc); };
    (@shape OptQuery $id:ident $doc:literal) => { define_methods!(@two $id $doc); };
    (@shape OptDir $id:ident $doc:literal) => { define_methods!(@two $id $doc); };
    (@shape Dir $id:ident $doc:literal) => { define_methods!(@two $id $doc); };
    (@shape File $id:ident $doc:literal) => { define_methods!(@two $id $doc); };
    (@shape ParamBody $id:ident $doc:literal) => { define_methods!(@three $id $doc); };
    (@shape Upload $id:ident $doc:literal) => { define_methods!(@three $id $doc); };
    (@one $id:ident $doc:literal) => {
        #[wasm_bindgen]
        impl LuxSciClient {
            #[doc = $doc]
            #[wasm_bindgen(js_name = $id)]
            #[allow(non_snake_case, reason = "the Rust name is the LuxSci operationId, as JavaScript sees it")]
            pub fn $id(&self, a: JsValue) -> Promise {
                self.invoke(stringify!($id), a, JsValue::UNDEFINED, JsValue::UNDEFINED)
            }
        }
    };
    (@two $id:ident $doc:literal) => {
        #[wasm_bindgen]
        impl LuxSciClient {
            #[doc = $doc]
            #[wasm_bindgen(js_name = $id)]
            #[allow(non_snake_case, reason = "the Rust name is the LuxSci operationId, as JavaScript sees it")]
            pub fn $id(&self, a: JsValue, b: JsValue) -> Promise {
                self.invoke(stringify!($id), a, b, JsValue::UNDEFINED)
            }
        }
    };
    (@three $id:ident $doc:literal) => {
        #[wasm_bindgen]
        impl LuxSciClient {
            #[doc = $doc]
            #[wasm_bindgen(js_name = $id)]
            #[allow(non_snake_case, reason = "the Rust name is the LuxSci operationId, as JavaScript sees it")]
            pub fn $id(&self, a: JsValue, b: JsValue, c: JsValue) -> Promise {
                self.invoke(stringify!($id), a, b, c)
            }
        }
    };
}
crate::for_each_endpoint!(define_methods);
