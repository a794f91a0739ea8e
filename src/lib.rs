//! threeds-web: the browser side of EMV 3-D Secure 2.
//!
//! - `host` (feature `host`): the SDK host app in the frame the embed creates, on
//!   our origin; the `threeds-host` binary runs it. The embed itself, the JS API a
//!   checkout page loads (`ThreeDS.load`, `ThreeDSClient`), is plain JS: `www/embed/`.
//! - [`device`]: the browser's device data, normalised by threeds-protocol.
//! - [`locale`]: the SDK's own words in each locale it speaks.
//!
//! The messages between the two, and with the 3DS Server, are `threeds-api`'s.
//! Protocol rules live in `threeds-protocol`; this crate is the DOM and network glue.

#![deny(missing_docs)]

pub mod device;
pub mod locale;

// The host app's wasm is size-budgeted: Talc is a few kilobytes smaller than the
// default dlmalloc. Single-threaded wasm only.
#[cfg(all(target_family = "wasm", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
#[cfg(any(feature = "host", test))]
pub mod host;
