//! The contracts between threeds-web's parties, in one place so that what one
//! side writes is by construction what the other side reads:
//!
//! - [`envelope`]: the embed (checkout page) <-> SDK host frame messages.
//! - [`calls`]: the backend-agnostic calls' options and rules, read by the host.
//! - [`relay`]: what pages in the method and challenge frames post to the SDK host frame.
//! - [`session`]: the session API's requests, answers and request rules, with the
//!   `device_info` object (feature `serde`: it is JSON only).
//!
//! Every type derives serde behind the `serde` feature; the embed builds without it.

#![deny(missing_docs)]

#[cfg(feature = "serde")]
pub mod calls;
pub mod envelope;
pub mod relay;
#[cfg(feature = "serde")]
pub mod session;

pub use envelope::{AcsErroDetail, Command, Envelope, ErrorCode, FlowId, Ignored, PROTOCOL, Report, VERSION, check_sender, origin_of};
pub use relay::{PageMessage, RELAY_TYPE, RELAY_VERSION, RETURN_TYPE, RelayFields};
