//! The SDK host origin (`--host-dir`) over real HTTP: precompressed files chosen by
//! `Accept-Encoding`, the original's content type, cache headers by file name, and
//! revalidation with `If-Modified-Since`.

use std::path::{Path, PathBuf};

use clap::Parser;
use reqwest::StatusCode;
use reqwest::header::{ACCEPT_ENCODING, CACHE_CONTROL, CONTENT_ENCODING, CONTENT_TYPE, IF_MODIFIED_SINCE, LAST_MODIFIED, VARY};
use threeds_mock::{Config, serve};

/// The files of a small SDK origin, each variant with its own bytes, so a body
/// tells which file was sent.
const WASM: &[u8] = b"\0asm\x01\0\0\0 the identity wasm";
const WASM_BR: &[u8] = b"brotli variant of the wasm";
const WASM_GZ: &[u8] = b"\x1f\x8b gzip variant of the wasm";
const HOST_HTML: &[u8] = b"<!doctype html><title>3-D Secure</title>";
const HOST_HTML_BR: &[u8] = b"brotli variant of host.html";

/// A fresh temporary directory, removed on drop.
struct Dir(PathBuf);

impl Dir {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("threeds-mock-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }

    fn write(&self, name: &str, bytes: &[u8]) {
        std::fs::write(self.0.join(name), bytes).unwrap();
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

struct Origin {
    base: String,
    http: reqwest::Client,
    _dir: Dir,
    _stop: tokio::sync::oneshot::Sender<()>,
}

impl Origin {
    async fn start(name: &str) -> Self {
        let dir = Dir::new(name);
        // A wasm module of a stable name the SDK origin does not know (its files' names are checked below).
        dir.write("module_bg.wasm", WASM);
        dir.write("module_bg.wasm.br", WASM_BR);
        dir.write("module_bg.wasm.gz", WASM_GZ);
        dir.write("threeds-web.js", b"export default 1;");
        dir.write("threeds-host_bg.wasm", WASM);
        dir.write("host.html", HOST_HTML);
        dir.write("host.html.br", HOST_HTML_BR);
        dir.write("threeds-web-1a2b3c4d5e6f7a8b.js", b"export default 1;");
        let host_dir = dir.path().to_str().unwrap().to_owned();
        let config = Config::parse_from(["threeds-mock", "--server-port", "0", "--acs-port", "0", "--host-port", "0", "--host-dir", &host_dir]);
        let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
        let (bound_tx, bound_rx) = tokio::sync::oneshot::channel();
        tokio::spawn(serve(
            config,
            async {
                let _ = stop_rx.await;
            },
            move |bound| {
                let _ = bound_tx.send(bound);
            },
        ));
        let bound = bound_rx.await.expect("mock bound");
        let host = bound.host.expect("the SDK origin listens when --host-dir is given");
        // reqwest here has no decompression features: bodies arrive as sent.
        let http = reqwest::Client::builder().build().unwrap();
        Self { base: format!("http://{host}"), http, _dir: dir, _stop: stop_tx }
    }

    async fn get(&self, path: &str, accept_encoding: Option<&str>) -> reqwest::Response {
        let mut request = self.http.get(format!("{}{path}", self.base));
        if let Some(accept) = accept_encoding {
            request = request.header(ACCEPT_ENCODING, accept);
        }
        request.send().await.unwrap()
    }
}

fn header(response: &reqwest::Response, name: reqwest::header::HeaderName) -> Option<&str> {
    response.headers().get(name).map(|value| value.to_str().unwrap())
}

#[tokio::test]
async fn brotli_is_sent_to_a_browser_that_accepts_it_with_the_wasm_content_type() {
    let origin = Origin::start("br").await;
    let response = origin.get("/module_bg.wasm", Some("gzip, deflate, br, zstd")).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(header(&response, CONTENT_ENCODING), Some("br"));
    assert_eq!(header(&response, CONTENT_TYPE), Some("application/wasm"));
    assert_eq!(header(&response, VARY), Some("accept-encoding"));
    assert_eq!(header(&response, CACHE_CONTROL), Some("no-cache"), "a stable name is revalidated, never immutable");
    assert_eq!(response.bytes().await.unwrap().as_ref(), WASM_BR);
}

#[tokio::test]
async fn gzip_is_sent_when_brotli_is_not_accepted() {
    let origin = Origin::start("gz").await;
    let response = origin.get("/module_bg.wasm", Some("gzip")).await;
    assert_eq!(header(&response, CONTENT_ENCODING), Some("gzip"));
    assert_eq!(header(&response, CONTENT_TYPE), Some("application/wasm"));
    assert_eq!(response.bytes().await.unwrap().as_ref(), WASM_GZ);
}

#[tokio::test]
async fn the_identity_file_is_sent_when_no_encoding_is_accepted() {
    let origin = Origin::start("identity").await;
    for accept in [None, Some("identity"), Some("deflate")] {
        let response = origin.get("/module_bg.wasm", accept).await;
        assert_eq!(response.status(), StatusCode::OK, "{accept:?}");
        assert_eq!(header(&response, CONTENT_ENCODING), None, "{accept:?}");
        assert_eq!(header(&response, CONTENT_TYPE), Some("application/wasm"), "{accept:?}");
        assert_eq!(response.bytes().await.unwrap().as_ref(), WASM, "{accept:?}");
    }
}

#[tokio::test]
async fn a_file_without_a_variant_of_that_encoding_is_sent_as_it_is() {
    let origin = Origin::start("partial").await;
    // host.html has a .br beside it but no .gz.
    let response = origin.get("/host.html", Some("gzip")).await;
    assert_eq!(header(&response, CONTENT_ENCODING), None);
    assert_eq!(header(&response, CONTENT_TYPE), Some("text/html"));
    assert_eq!(response.bytes().await.unwrap().as_ref(), HOST_HTML);
    let response = origin.get("/host.html", Some("br")).await;
    assert_eq!(header(&response, CONTENT_ENCODING), Some("br"));
    assert_eq!(header(&response, CONTENT_TYPE), Some("text/html"));
    assert_eq!(response.bytes().await.unwrap().as_ref(), HOST_HTML_BR);
}

#[tokio::test]
async fn a_hashed_name_is_immutable_and_a_host_frame_file_short_lived_then_revalidated_with_a_304() {
    let origin = Origin::start("cache").await;
    let hashed = origin.get("/threeds-web-1a2b3c4d5e6f7a8b.js", Some("br")).await;
    assert_eq!(hashed.status(), StatusCode::OK);
    assert_eq!(header(&hashed, CACHE_CONTROL), Some("public, max-age=31536000, immutable"));
    assert_eq!(header(&hashed, CONTENT_TYPE), Some("text/javascript"));

    // The embed: revalidated on each use.
    let embed = origin.get("/threeds-web.js", Some("br")).await;
    assert_eq!(header(&embed, CACHE_CONTROL), Some("no-cache"));
    // The host frame's: a short lifetime, then revalidated like any other.
    let first = origin.get("/host.html", Some("br")).await;
    assert_eq!(header(&first, CACHE_CONTROL), Some("public, max-age=300, stale-while-revalidate=300"));
    let last_modified = header(&first, LAST_MODIFIED).expect("Last-Modified, for revalidation").to_owned();
    let again = origin
        .http
        .get(format!("{}/host.html", origin.base))
        .header(ACCEPT_ENCODING, "br")
        .header(IF_MODIFIED_SINCE, &last_modified)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(header(&again, CACHE_CONTROL), Some("public, max-age=300, stale-while-revalidate=300"), "a 304 renews the lifetime");
    assert!(again.bytes().await.unwrap().is_empty());
}

/// A checkout page on another origin reads the SDK's files: the embed, and the
/// host app's wasm it fetches for its host frames (CORS), and their sizes in its
/// Resource Timing.
#[tokio::test]
async fn checkout_pages_may_read_the_files_and_their_timings() {
    let origin = Origin::start("cors").await;
    for path in ["/threeds-web.js", "/threeds-host_bg.wasm", "/host.html"] {
        let response = origin.get(path, Some("br")).await;
        assert_eq!(header(&response, reqwest::header::ACCESS_CONTROL_ALLOW_ORIGIN), Some("*"), "{path}");
        assert_eq!(header(&response, reqwest::header::HeaderName::from_static("timing-allow-origin")), Some("*"), "{path}");
    }
}

#[tokio::test]
async fn a_missing_file_is_a_404_without_cache_headers() {
    let origin = Origin::start("missing").await;
    let response = origin.get("/nothing-here.js", Some("br")).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert_eq!(header(&response, CACHE_CONTROL), None);
}

#[tokio::test]
async fn the_host_page_names_its_apps_files_in_a_link_header_and_no_other_file_does() {
    let origin = Origin::start("link").await;
    let page = origin.get("/host.html", Some("br")).await;
    let links = header(&page, reqwest::header::LINK).expect("host.html carries a Link header").to_owned();
    assert_eq!(links, threeds_mock::sdk_origin::HOST_PAGE_LINKS);
    for file in ["<threeds-host.js>; rel=modulepreload", "<host-boot.js>; rel=modulepreload"] {
        assert!(links.contains(file), "{file} in {links}");
    }
    // The app's wasm comes from the checkout page, else host-boot.js fetches it.
    assert!(!links.contains("threeds-host_bg.wasm"), "{links}");
    // Relative: they resolve beside host.html wherever the SDK origin serves it.
    assert!(!links.contains("</"), "{links}");
    for path in ["/threeds-web.js", "/threeds-host_bg.wasm"] {
        assert_eq!(header(&origin.get(path, Some("br")).await, reqwest::header::LINK), None, "{path}");
    }
}

/// The header preloads what the host page itself preloads: the same requests, so
/// the browser fetches each file once. Neither preloads the app's wasm, which a
/// host frame the embed made gets from its checkout page: a preload would fetch it
/// a second time.
#[test]
fn the_link_header_matches_the_host_pages_own_preloads() {
    let page = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../www/host.html")).expect("www/host.html");
    assert!(page.contains(r#"<link rel="modulepreload" href="threeds-host.js">"#), "{page}");
    assert!(page.contains(r#"<script type="module" src="host-boot.js">"#), "{page}");
    assert!(!page.contains(r#"<link rel="preload" href="threeds-host_bg.wasm""#), "{page}");
    let links = threeds_mock::sdk_origin::HOST_PAGE_LINKS;
    assert!(links.contains("<threeds-host.js>; rel=modulepreload") && links.contains("<host-boot.js>; rel=modulepreload"), "{links}");
}
