//! Emulations of the payment processors that host the cardholder's 3-D Secure
//! page themselves, each under its own path prefix on the 3DS Server origin with
//! its own keys. They run 3-D Secure through [`crate::three_ds_server::hosted`],
//! so the test-card table and the issuer's decisions set every outcome.
//!
//! - [`stripe`]: Stripe's PaymentIntents, SetupIntents and 3DS import (`/stripe/...`).
//! - [`stripe_sources`]: Stripe's legacy Sources (`/stripe-sources/...`).
//! - [`checkout`]: Checkout.com's payments (`/checkout/...`).

pub mod checkout;
pub mod stripe;
pub mod stripe_sources;

use axum::Router;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::State;
use crate::support::cards::Scenario;

/// Every processor's routes; background tasks (webhook delivery, expiry) are
/// pushed to `tasks` and end when `stop` turns true.
pub fn router(state: &State, stop: &watch::Receiver<bool>, tasks: &mut Vec<JoinHandle<()>>) -> Router<State> {
    Router::new().merge(stripe::router(state)).merge(stripe_sources::router(state, stop, tasks)).merge(checkout::router(state))
}

/// The issuer's scenario for a processor's own test card number, when it names one.
pub fn test_card_scenario(pan: &str) -> Option<Scenario> {
    [stripe::cards::scenario_for].into_iter().find_map(|lookup| lookup(pan))
}

/// A fresh ID of `prefix` and 24 lowercase alphanumerics, as processors write them.
pub(crate) fn new_id(prefix: &str) -> String {
    let hex = uuid::Uuid::new_v4().simple().to_string();
    format!("{prefix}{}", &hex[..24])
}

/// Seconds since the Unix epoch.
pub(crate) fn unix_now() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs())
}
