//! What every party of the mock shares: the test-card table, configuration,
//! expiring stores, HTML, origins, the transcript, error responses, layers and
//! the JSON body extractor.

pub mod cards;
pub mod config;
pub mod error;
pub mod extract;
pub mod html;
pub mod layers;
pub mod origin;
pub mod store;
pub mod transcript;
