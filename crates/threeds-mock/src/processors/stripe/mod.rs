//! The Stripe emulation, under `/stripe/` on the 3DS Server origin: the
//! PaymentIntents and SetupIntents API (`/stripe/v1/...`, form-encoded bodies,
//! Stripe's keys and error shape), its test cards and PaymentMethods, "import
//! 3DS results", and the hosted authentication page that `next_action` points
//! to (`/stripe/redirect/...`), which runs 3-D Secure through this mock's own
//! 3DS Server, Directory Server and ACS.
//!
//! - [`api`]: the handlers; [`pages`]: the authentication page and the return.
//! - [`form`], [`error`], [`keys`]: Stripe's parameters, errors and keys.
//! - [`cards`], [`flow`], [`import`], [`intent`]: pure data and decisions.

pub mod api;
pub mod cards;
pub mod error;
pub mod flow;
pub mod form;
pub mod import;
pub mod intent;
pub mod keys;
pub mod pages;

use std::time::Duration;

use axum::Router;
use axum::http::{HeaderValue, Method, header};
use axum::routing::{get, post};
use tower_http::cors::{AllowOrigin, CorsLayer};

use crate::State;
use crate::support::layers::page_headers;
use crate::support::origin;
use crate::support::store::ExpiringStore;

pub use intent::{Intent, PaymentMethod};

/// What the emulation keeps, bounded and expiring like the sessions.
pub struct Stores {
    /// PaymentIntents and SetupIntents by ID; succeeded and canceled ones may make room.
    pub intents: ExpiringStore<String, Intent>,
    /// PaymentMethods created with `POST /stripe/v1/payment_methods` or `payment_method_data`.
    pub payment_methods: ExpiringStore<String, PaymentMethod>,
}

impl Stores {
    /// Empty stores.
    pub fn new(lifetime: Duration, capacity: usize) -> Self {
        Self {
            intents: ExpiringStore::with_finished(lifetime, capacity, |intent: &Intent| intent.status.is_final()),
            payment_methods: ExpiringStore::new(lifetime, capacity),
        }
    }

    /// Drops expired entries.
    pub fn sweep(&self) {
        self.intents.sweep();
        self.payment_methods.sweep();
    }
}

/// The emulation's routes. The API answers CORS requests from the SDK origins,
/// so a browser can read an intent with the publishable key and client secret.
pub fn router(state: &State) -> Router<State> {
    let patterns = state.config.sdk_origins.clone();
    let cors = CorsLayer::new()
        .allow_origin(AllowOrigin::predicate(move |origin: &HeaderValue, _| origin.to_str().is_ok_and(|origin| origin::allowed(&patterns, origin))))
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([header::AUTHORIZATION, header::CONTENT_TYPE])
        .max_age(Duration::from_secs(600));
    let api = Router::new()
        .route("/stripe/v1/payment_methods", post(api::create_payment_method))
        .route("/stripe/v1/payment_intents", post(api::create_payment_intent))
        .route("/stripe/v1/payment_intents/{id}", get(api::retrieve_payment_intent))
        .route("/stripe/v1/payment_intents/{id}/confirm", post(api::confirm_payment_intent))
        .route("/stripe/v1/payment_intents/{id}/capture", post(api::capture_payment_intent))
        .route("/stripe/v1/payment_intents/{id}/cancel", post(api::cancel_payment_intent))
        .route("/stripe/v1/setup_intents", post(api::create_setup_intent))
        .route("/stripe/v1/setup_intents/{id}", get(api::retrieve_setup_intent))
        .route("/stripe/v1/setup_intents/{id}/confirm", post(api::confirm_setup_intent))
        .route("/stripe/v1/setup_intents/{id}/cancel", post(api::cancel_setup_intent))
        .layer(cors);
    let pages = Router::new()
        .route("/stripe/redirect/authenticate/{id}", get(pages::authenticate_page).post(pages::authenticate))
        .route("/stripe/redirect/complete/{id}", get(pages::complete))
        .layer(page_headers(state));
    api.merge(pages)
}
