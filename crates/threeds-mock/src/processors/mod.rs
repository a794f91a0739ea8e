//! Emulations of the processors that run 3-D Secure on their own hosted page:
//! each has its own module, path prefix on the 3DS Server origin and keys, and
//! authenticates through this mock's 3DS Server, Directory Server and ACS
//! ([`crate::three_ds_server::hosted`]), so the issuer decides every outcome.

pub mod stripe;

use axum::Router;

use crate::State;
use crate::support::cards::Scenario;

/// Every processor's routes.
pub fn router(state: &State) -> Router<State> {
    Router::new().merge(stripe::router(state))
}

/// The issuer's scenario for a processor's own test card number, when it names one.
pub fn test_card_scenario(pan: &str) -> Option<Scenario> {
    [stripe::cards::scenario_for].into_iter().find_map(|lookup| lookup(pan))
}
