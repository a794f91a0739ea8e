//! EMV 3-D Secure 2.x browser-flow messages as typed, validated Rust.
//!
//! Pure logic: no I/O, no clocks, no randomness. Both the browser crate and the
//! mock backend use these types, so what one side writes the other side reads.

pub mod window;

pub use window::ChallengeWindowSize;
