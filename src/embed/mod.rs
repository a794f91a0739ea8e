//! The embed: the JS API a checkout page loads (`ThreeDS.load` -> `ThreeDSClient`).
//!
//! It frames only our SDK host page, sends it typed commands, and settles each
//! promise exactly once from the ONE completion message of that flow, accepted
//! only from the flow's own host frame window and origin. Every frame, listener
//! and timer a flow creates is owned by that flow and dropped when it settles.
//!
//! - `api`: the `#[wasm_bindgen]` surface and its TypeScript declarations;
//! - `options`: reading and checking what the page passes;
//! - `flows`: the flows table, each promise settled once;
//! - `routing`: which flow a message from a host frame is for (pure);
//! - `warm`: the spare host frame kept booted for the next challenge (pure);
//! - `preload`: the host frame `preload()` (plain JS) started before the wasm ran,
//!   or the page declared in its HTML;
//! - `client`: the glue that ties them to the DOM, `frames` and `layout` the DOM itself;
//! - `js`: JS objects in and out by hand (no serde: the embed's size is budgeted).

mod api;
mod client;
mod flows;
mod frames;
mod js;
mod layout;
mod options;
mod preload;
mod routing;
mod warm;

#[cfg(all(test, target_arch = "wasm32"))]
mod round_trip;

pub use api::{ThreeDS, ThreeDSClient};
#[doc(hidden)]
pub use preload::preload;
