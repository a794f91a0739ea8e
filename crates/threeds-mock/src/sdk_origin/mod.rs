//! The SDK host origin (`--host-dir`): the built SDK served as static files, as a
//! deployment of the SDK origin serves them.
//!
//! - Precompressed: `name.br` and `name.gz` beside a file (written by the release
//!   build's post-build step) are sent when the request's `Accept-Encoding` takes
//!   them, with `Content-Encoding` set; the identity file otherwise. The
//!   `Content-Type` is the original file's (`application/wasm` for `.wasm`, which
//!   `WebAssembly.instantiateStreaming` requires).
//! - `Cache-Control` by name: a file whose name carries a content hash never
//!   changes, so it is `immutable` for a year ([`IMMUTABLE`]); the files of the
//!   SDK host frame and the pages framed inside it are fresh for 5 minutes
//!   ([`HOST_FRAME`], see there why); every other file (the embed,
//!   `threeds-web.js`, first) is `no-cache`: a browser
//!   keeps it but revalidates it each time (`If-Modified-Since` against
//!   `Last-Modified`, answered `304` without a body), so a new release is picked
//!   up at once.
//! - `Vary: Accept-Encoding`, so a shared cache keeps one copy per encoding.
//! - `host.html` names its app's files in a `Link` header ([`HOST_PAGE_LINKS`]).

use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use tower_http::services::ServeDir;

/// `Cache-Control` of a file whose name carries a content hash: a year, never revalidated.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// `Cache-Control` of the host frame's files ([`HOST_FRAME_FILES`]): used without
/// asking for 5 minutes, then for 5 more while the browser refreshes them behind
/// (one use served stale, the next gets the refreshed copy).
///
/// Why a lifetime at all: under `no-cache` every host frame's load (the
/// background frame, the spare frame the embed boots for the next challenge, a
/// challenge's own frame where the spare cannot serve, the relay page at each
/// method and challenge end) asks again for each file, one round trip each, the
/// host frame's five in sequence: about 0.7 s at a challenge's start on a slow
/// phone network (BENCHMARKS.md). The frames a page loads after its first all
/// come within minutes of it, so 5 minutes covers them.
///
/// What it costs: a release reaches a browser that has the files cached up to 10
/// minutes late (fresh 5, then one use served stale); after 10 minutes a copy is
/// never used without asking. The embed (always revalidated) talks to a host frame
/// that may be that one release behind: the protocol between them is versioned
/// and a host takes the previous release's embed anyway (a checkout page bundling
/// the embed from npm updates when it likes).
///
/// `threeds-host.js` (wasm-bindgen's glue) fits only its own build's
/// `threeds-host_bg.wasm`: a browser must never run one old and one new. The same
/// lifetime for both, and they are only ever loaded together, by one host frame
/// (`host-boot.js` imports the glue, then fetches the wasm beside it): their
/// cache entries are written one round trip apart and go stale together; a load
/// that finds both stale runs both stale copies (a matching pair) and refreshes
/// both behind. A long lifetime on a stable name would leave the pair to
/// eviction and to each file's own revalidation, and is kept for hashed names.
/// What remains is the instant of a deploy itself, which `no-cache` has too (one
/// file revalidated before the deploy, the other after).
///
/// The embed's own files stay `no-cache`: checkout pages pin them with
/// `integrity`, and a page updated to a release's hashes would fail its check on
/// a copy of the last release kept fresh; they load once per page, not per frame.
pub const HOST_FRAME: &str = "public, max-age=300, stale-while-revalidate=300";
/// What the SDK host frame loads, and the relay and return pages framed inside
/// it: [`HOST_FRAME`]'s lifetime.
pub const HOST_FRAME_FILES: [&str; 8] =
    ["host.html", "host-boot.js", "threeds-host.js", "threeds-host_bg.wasm", "relay.html", "relay.js", "return.html", "return.js"];
/// `Link` of `host.html`: its app's scripts, fetched from the answer's headers
/// on, before the browser has made the frame's document and parsed the page's
/// own `<link>`s (the same preloads, so each file is fetched once). Not its wasm:
/// the checkout page fetches that for its host frames (`host-boot.js`).
pub const HOST_PAGE_LINKS: &str = "<threeds-host.js>; rel=modulepreload, <host-boot.js>; rel=modulepreload";

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
    let host_page = request.uri().path().rsplit('/').next() == Some("host.html");
    let mut response = next.run(request).await;
    if response.status().is_success() || response.status() == StatusCode::NOT_MODIFIED {
        let headers = response.headers_mut();
        if host_page {
            headers.insert(header::LINK, HeaderValue::from_static(HOST_PAGE_LINKS));
        }
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    }
    response
}

/// The `Cache-Control` value for a request path: [`IMMUTABLE`] when the file name
/// carries a content hash, [`HOST_FRAME`] for the host frame's files,
/// [`REVALIDATE`] otherwise.
pub fn cache_control(path: &str) -> &'static str {
    let name = path.rsplit('/').next().unwrap_or(path);
    if has_content_hash(name) {
        IMMUTABLE
    } else if HOST_FRAME_FILES.contains(&name) {
        HOST_FRAME
    } else {
        REVALIDATE
    }
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
    fn the_embeds_files_and_unknown_names_are_revalidated() {
        for name in
            ["/threeds-web.js", "/threeds-web.d.ts", "/index.html", "/", "/deadbeefcafe.js", "/__test__/host.html.bak"]
        {
            assert_eq!(cache_control(name), REVALIDATE, "{name}");
        }
    }

    #[test]
    fn the_host_frames_files_share_one_short_lifetime() {
        for name in HOST_FRAME_FILES {
            assert_eq!(cache_control(&format!("/{name}")), HOST_FRAME, "{name}");
        }
        assert!(HOST_FRAME.contains("max-age=300") && HOST_FRAME.contains("stale-while-revalidate=300") && !HOST_FRAME.contains("immutable"));
        // Wherever the SDK origin serves them from.
        assert_eq!(cache_control("/sdk/v2/host.html"), HOST_FRAME);
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
        assert_eq!(cache_control("/v-1a2b3c4d5e6f/host.html"), HOST_FRAME);
        assert_eq!(cache_control("/v-1a2b3c4d5e6f/threeds-web.js"), REVALIDATE);
    }
}
