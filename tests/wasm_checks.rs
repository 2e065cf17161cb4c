//! The field checks in the browser build: the cases of the native unit test
//! (src/domain/check_cases.rs), run on wasm32 by wasm-bindgen-test (in Node;
//! scripts/rust-tests.sh). The page's checks are this code, compiled so.
#![cfg(target_arch = "wasm32")]

use provider_portal::domain::Check;
use wasm_bindgen_test::wasm_bindgen_test;

include!("../src/domain/check_cases.rs");

#[wasm_bindgen_test]
fn the_checks_say_in_wasm_what_they_say_on_the_server() {
    let all = cases();
    assert!(all.len() > 20);
    for (check, value, other, want) in all {
        assert_eq!(
            check.run(value, other),
            want,
            "{check:?} {value:?} {other:?}"
        );
    }
}
