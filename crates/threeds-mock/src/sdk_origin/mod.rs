//! The SDK host origin (`--host-dir`): the built SDK served as static files, as a
//! deployment of the SDK origin serves them.
//!
//! - Precompressed: `name.br` and `name.gz` beside a file (written by the release
//!   build's post-build step) are sent when the request's `Accept-Encoding` takes
//!   them, with `Content-Encoding` set; the identity file otherwise. The
//!   `Content-Type` is the original file's (`application/wasm` for `.wasm`, which
//!   `WebAssembly.instantiateStreaming` requires).
//! - `Cache-Control` by name: a file whose name carries a content hash never
//!   changes, so it is `immutable` for a year; every other file (the SDK's stable
//!   names, `threeds-web.js` and the rest) is `no-cache`: a browser keeps it but
//!   revalidates it each time (`If-Modified-Since` against `Last-Modified`, answered
//!   `304` without a body), so a new release is picked up at once.
//! - `Vary: Accept-Encoding`, so a shared cache keeps one copy per encoding.

use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use tower_http::services::ServeDir;

/// `Cache-Control` of a file whose name carries a content hash: a year, never revalidated.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// `Cache-Control` of every other file: stored, but revalidated before each use.
pub const REVALIDATE: &str = "no-cache";

/// The SDK origin's router: `dir`'s files, precompressed variants preferred.
pub fn router(dir: impl AsRef<std::path::Path>) -> Router {
    let files = ServeDir::new(dir).precompressed_br().precompressed_gzip();
    Router::new().fallback_service(files).layer(middleware::from_fn(cache_headers))
}

/// Adds `Cache-Control`, `Vary` and `nosniff` to the answers that carry a file (or a `304`).
async fn cache_headers(request: Request, next: Next) -> Response {
    let policy = cache_control(request.uri().path());
    let mut response = next.run(request).await;
    if response.status().is_success() || response.status() == StatusCode::NOT_MODIFIED {
        let headers = response.headers_mut();
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    }
    response
}

/// The `Cache-Control` value for a request path: [`IMMUTABLE`] when the file name
/// carries a content hash, [`REVALIDATE`] otherwise.
pub fn cache_control(path: &str) -> &'static str {
    let name = path.rsplit('/').next().unwrap_or(path);
    if has_content_hash(name) { IMMUTABLE } else { REVALIDATE }
}

/// Whether a file name carries a content hash: a part of it (between `-`, `.` or
/// `_`) of at least 8 hexadecimal digits with at least one decimal digit among
/// them, as Trunk's `filehash` (`threeds-web-1a2b3c4d5e6f7a8b_bg.wasm`) and most
/// bundlers (`app.3f9c2e1a.js`) write them. The extension is not a part.
pub fn has_content_hash(name: &str) -> bool {
    let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
    stem.split(['-', '.', '_']).any(|part| part.len() >= 8 && part.bytes().all(|b| b.is_ascii_hexdigit()) && part.bytes().any(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sdks_stable_names_are_revalidated() {
        for name in [
            "/threeds-web.js",
            "/threeds-web_bg.wasm",
            "/threeds-host.js",
            "/threeds-host_bg.wasm",
            "/host.html",
            "/host-boot.js",
            "/host.css",
            "/relay.html",
            "/return.js",
            "/",
            "/deadbeefcafe.js",
        ] {
            assert_eq!(cache_control(name), REVALIDATE, "{name}");
        }
    }

    #[test]
    fn hashed_names_are_immutable() {
        for name in ["/threeds-web-1a2b3c4d5e6f7a8b.js", "/threeds-web-1a2b3c4d5e6f7a8b_bg.wasm", "/assets/app.3f9c2e1a.css", "/chunk-0123456789.js"]
        {
            assert_eq!(cache_control(name), IMMUTABLE, "{name}");
        }
    }

    #[test]
    fn a_hash_in_a_directory_name_does_not_count() {
        assert_eq!(cache_control("/v-1a2b3c4d5e6f/host.html"), REVALIDATE);
    }
}
