//! threeds-web: the browser side of EMV 3-D Secure 2.
//!
//! - [`embed`]: the JS API a checkout page loads (`ThreeDS.load`, `ThreeDSClient`).
//! - [`host`]: the SDK host app (Yew) in the frame the embed creates, on our origin;
//!   the `threeds-host` binary runs it.
//! - [`wire`]: the typed, versioned messages between the two (pure).
//! - [`device`]: the browser's device data, normalised by threeds-protocol.
//!
//! Protocol rules live in `threeds-protocol`; this crate is the DOM and network glue.

pub mod device;
pub mod embed;
pub mod host;
pub mod wire;
