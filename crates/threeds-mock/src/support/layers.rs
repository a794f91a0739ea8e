//! The layers around the routes: the pages' security headers, one log line per
//! request, the body limit.

use std::time::Instant;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Request};
use axum::http::{HeaderValue, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use tower::ServiceBuilder;
use tower::layer::util::{Identity, Stack};
use tower_http::set_header::SetResponseHeaderLayer;

use crate::{AppState, State};

/// Largest request body either origin reads (form posts and JSON are far smaller).
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// The layer of every page the mock serves in a frame (method, challenge and
/// notification pages, their error pages included): who may frame it
/// (`frame-ancestors`), no caching, no MIME sniffing.
pub type PageHeaders = ServiceBuilder<
    Stack<SetResponseHeaderLayer<HeaderValue>, Stack<SetResponseHeaderLayer<HeaderValue>, Stack<SetResponseHeaderLayer<HeaderValue>, Identity>>>,
>;

/// See [`PageHeaders`].
pub fn page_headers(state: &AppState) -> PageHeaders {
    let frame_ancestors = HeaderValue::from_str(&state.frame_ancestors()).unwrap_or_else(|_| HeaderValue::from_static("frame-ancestors 'none'"));
    ServiceBuilder::new()
        .layer(SetResponseHeaderLayer::overriding(header::CONTENT_SECURITY_POLICY, frame_ancestors))
        .layer(SetResponseHeaderLayer::overriding(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .layer(SetResponseHeaderLayer::overriding(header::CACHE_CONTROL, HeaderValue::from_static("no-store")))
}

/// One tracing line per request: method, path, status, duration. Never a body or a
/// query (where card data could be), and paths carry only IDs.
pub async fn log_request(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let response = next.run(request).await;
    tracing::info!(%method, path, status = response.status().as_u16(), ms = started.elapsed().as_millis() as u64, "request");
    response
}

/// An origin's router with the body limit and the request log, given its state.
pub fn finish(router: Router<State>, state: &State) -> Router {
    router.layer(DefaultBodyLimit::max(MAX_BODY_BYTES)).layer(middleware::from_fn(log_request)).with_state(state.clone())
}
