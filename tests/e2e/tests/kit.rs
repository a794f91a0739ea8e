//! The integrator's kit: its TypeScript declarations checked by tsc; in headless
//! Chromium, the npm package installed from its tarball, the Subresource Integrity
//! manifest, the React bindings in StrictMode, a checkout page under a strict CSP
//! sent as a real HTTP header, and axe-core's accessibility rules on the demo
//! checkout and its open modal challenge.
//!
//! `./x test` prepares the pages (scripts/kit-test.sh) under the SDK host origin's
//! `__kit__/` and sets `THREEDS_KIT_DIR` (axe-core's script), besides the mock's
//! `THREEDS_MOCK_SERVER_ORIGIN` and `THREEDS_MOCK_HOST_ORIGIN`.

use std::path::PathBuf;
use std::time::Duration;

use serde_json::Value;
use thirtyfour::prelude::*;
use threeds_e2e::{Browser, Mode, ONE_TIME_CODE, PayOptions, STEP_TIMEOUT};
use threeds_protocol::ChallengeWindowSize;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// A challenge card (one-time code) and the out-of-band card that approves by itself.
const CHALLENGE_CARD: &str = "4000020000000000";
const OUT_OF_BAND_CARD: &str = "4000000000000341";
const FRICTIONLESS_CARD: &str = "4000000000001000";

fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| panic!("{name} is not set: run the end-to-end tests through ./x test"))
}

fn api() -> String {
    env("THREEDS_MOCK_SERVER_ORIGIN")
}

/// The SDK host origin (127.0.0.1) and the same server's other loopback name, for pages.
fn sdk_origin() -> String {
    env("THREEDS_MOCK_HOST_ORIGIN")
}

fn page_origin() -> String {
    sdk_origin().replace("127.0.0.1", "localhost")
}

fn kit_dir() -> PathBuf {
    PathBuf::from(env("THREEDS_KIT_DIR"))
}

/// What the SDK host origin serves: the release build, as built (`./x test`'s
/// target/test-host, or `THREEDS_HOST_DIR`).
fn served_dir() -> PathBuf {
    std::env::var_os("THREEDS_HOST_DIR").map_or_else(|| kit_dir().join("../test-host"), PathBuf::from)
}

/// Waits until `body[data-done]` is set by the page; returns `(done, result)`.
async fn page_result(browser: &Browser) -> WebDriverResult<(String, String)> {
    browser.driver.enter_default_frame().await?;
    let body = browser.wait_for("body[data-done]").await?;
    Ok((body.attr("data-done").await?.unwrap_or_default(), body.attr("data-result").await?.unwrap_or_default()))
}

async fn json_attr(element: &WebElement, name: &str) -> WebDriverResult<Value> {
    let text = element.attr(name).await?.unwrap_or_default();
    Ok(serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// The README's snippets in TypeScript (tests/kit/ts-app), against the installed
/// package's declarations: strict, no skipped library check; each misuse it marks
/// `@ts-expect-error` must be refused.
#[test]
fn the_typescript_declarations_check_the_readme_snippets() {
    let deps = kit_dir().join("deps");
    let tsc = deps.join("node_modules/typescript/bin/tsc");
    assert!(tsc.is_file(), "no TypeScript at {}: run the end-to-end tests through ./x test", tsc.display());
    let output = std::process::Command::new("node").arg(&tsc).arg("-p").arg(deps.join("ts")).output().expect("node runs tsc");
    assert!(
        output.status.success(),
        "tsc refused the snippets:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[tokio::test]
async fn the_npm_package_installed_from_its_tarball_runs_a_session() -> WebDriverResult<()> {
    // The installed package: its manifest and files, as npm put them.
    let installed = kit_dir().join("npm-app/node_modules/threeds-web");
    let manifest: Value = serde_json::from_str(&std::fs::read_to_string(installed.join("package.json"))?).expect("package.json is JSON");
    assert_eq!(manifest["name"], "threeds-web");
    assert_eq!(manifest["sideEffects"], false);
    assert_eq!(manifest["types"], "./threeds-web.d.ts");
    assert_eq!(manifest["exports"]["."]["import"], "./threeds-web.js");
    assert_eq!(manifest["exports"]["./react"]["types"], "./react.d.ts");
    assert!(manifest.get("dependencies").is_none(), "no dependencies: installs offline");
    for file in [
        "threeds-web.js",
        "threeds-web.d.ts",
        "react.js",
        "react.d.ts",
        "integrity.json",
        "README.md",
        "host/host.html",
        "host/host-boot.js",
        "host/threeds-host.js",
        "host/threeds-host_bg.wasm",
        "host/relay.html",
        "host/relay.js",
        "host/return.html",
        "host/return.js",
    ] {
        assert!(installed.join(file).is_file(), "the package has {file}");
    }
    // The embed is plain JS: the only wasm is the host app's.
    assert!(!installed.join("threeds-web_bg.wasm").exists(), "the embed has no wasm");
    // The host app's wasm names no directory of the machine that built it: a panic
    // location in a dependency reads deps/<crate>-<version>/..., not the builder's registry copy.
    let bytes = std::fs::read(installed.join("host/threeds-host_bg.wasm"))?;
    let text = String::from_utf8_lossy(&bytes);
    assert!(!text.contains("/registry/src/") && !text.contains("/.cargo/"), "the host app's wasm names a build machine's directory");
    assert!(text.contains("deps/js-sys-"), "the host app's wasm: js-sys's panic locations, remapped");

    // A page importing it from node_modules, the host page from the package's host/.
    let browser = Browser::start().await?;
    browser.driver.goto(format!("{}/__kit__/npm/index.html?api={}&pan={FRICTIONLESS_CARD}", page_origin(), api())).await?;
    let (done, result) = page_result(&browser).await?;
    assert_eq!(done, "ok", "{result}");
    let result: Value = serde_json::from_str(&result).expect("the page's result is JSON");
    assert_eq!(result["compInd"], "Y", "the 3DS Method ran through the installed host page: {result}");
    assert_eq!(result["transStatus"], "Y", "{result}");
    browser.quit().await
}

#[tokio::test]
async fn the_integrity_manifest_matches_the_served_files_and_the_demo_loads_with_it() -> WebDriverResult<()> {
    let manifest: Value = serde_json::from_str(&std::fs::read_to_string(served_dir().join("integrity.json"))?).expect("integrity.json is JSON");
    let browser = Browser::start().await?;
    browser.open_checkout().await?;
    // The page loaded (the SDK started) with these hashes on its modulepreload and import map.
    let checks = browser
        .driver
        .execute_async(
            r#"
            const done = arguments[arguments.length - 1];
            (async () => {
              const manifest = await (await fetch("/integrity.json", { cache: "no-store" })).json();
              const hashes = {};
              for (const file of ["threeds-web.js"]) {
                const bytes = await (await fetch("/" + file, { cache: "no-store" })).arrayBuffer();
                const digest = new Uint8Array(await crypto.subtle.digest("SHA-384", bytes));
                hashes[file] = "sha384-" + btoa(String.fromCharCode(...digest));
              }
              const preload = document.querySelector('link[rel="modulepreload"][href="/threeds-web.js"]')?.integrity;
              const importMap = JSON.parse(document.querySelector('script[type="importmap"]')?.textContent || "{}");
              // A wrong hash is refused: the browser enforces what the manifest says.
              const wrong = await fetch("/threeds-web.js", { integrity: "sha384-" + "A".repeat(64), cache: "no-store" })
                .then(() => "loaded", () => "refused");
              return { manifest, hashes, preload, importMap: importMap.integrity?.["/threeds-web.js"], wrong };
            })().then(done, (e) => done({ error: String(e) }));
            "#,
            Vec::new(),
        )
        .await?
        .json()
        .clone();
    assert_eq!(checks["manifest"], manifest, "the served manifest is the build's");
    assert_eq!(manifest.as_object().map(|files| files.len()), Some(1), "one file to pin: {manifest}");
    for file in ["threeds-web.js"] {
        let expected = manifest[file].as_str().expect("a hash per file");
        assert!(expected.starts_with("sha384-"), "{expected}");
        assert_eq!(checks["hashes"][file], expected, "{file}: the served bytes hash to the manifest's value");
    }
    assert_eq!(checks["preload"], manifest["threeds-web.js"], "the demo's modulepreload carries the hash");
    assert_eq!(checks["importMap"], manifest["threeds-web.js"], "the demo's import map carries the hash");
    assert_eq!(checks["wrong"], "refused");
    browser.quit().await
}

/// How many host frames (the SDK's iframes) the page holds, and in which containers.
async fn host_frames(browser: &Browser) -> WebDriverResult<u64> {
    browser.driver.enter_default_frame().await?;
    Ok(browser.script("return document.querySelectorAll('iframe').length").await?.as_u64().unwrap_or(u64::MAX))
}

async fn react_outcome(browser: &Browser) -> WebDriverResult<String> {
    browser.driver.enter_default_frame().await?;
    Ok(browser.wait_for("#outcome").await?.attr("data-outcome").await?.unwrap_or_default())
}

#[tokio::test]
async fn react_bindings_load_once_in_strict_mode_show_the_challenge_inline_and_clean_up() -> WebDriverResult<()> {
    let browser = Browser::start().await?;
    for (card, by_code) in [(CHALLENGE_CARD, true), (OUT_OF_BAND_CARD, false)] {
        browser.driver.enter_default_frame().await?;
        browser.driver.goto(format!("{}/__kit__/react/index.html?api={}&pan={card}", page_origin(), api())).await?;
        browser.wait_for("#pay:not([disabled])").await?;
        // StrictMode mounted twice; the SDK's background frame and its spare exist once.
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert_eq!(host_frames(&browser).await?, 2, "one background host frame and one spare after StrictMode's double mount");
        browser.driver.find(By::Id("pay")).await?.click().await?;
        // The challenge, inline, inside the component's own element.
        browser.wait_for("[data-threeds-react-challenge] [data-threeds-challenge] iframe").await?;
        if by_code {
            browser.submit_code(ONE_TIME_CODE).await?;
        }
        assert_eq!(react_outcome(&browser).await?, "challenge Y", "card {card}");
        assert!(browser.driver.find_all(By::Css("[data-threeds-challenge]")).await?.is_empty(), "the challenge is gone");
        assert_eq!(host_frames(&browser).await?, 2, "only the background frame and a new spare are left");
        // Unmounting the checkout destroys the client: no frame is left behind.
        browser.driver.find(By::Id("toggle")).await?.click().await?;
        let deadline = tokio::time::Instant::now() + STEP_TIMEOUT;
        while host_frames(&browser).await? != 0 {
            assert!(tokio::time::Instant::now() < deadline, "the host frame outlived the unmount");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
    // Unmounting during a challenge cancels it and removes its frames.
    browser.driver.goto(format!("{}/__kit__/react/index.html?api={}&pan={CHALLENGE_CARD}", page_origin(), api())).await?;
    browser.wait_for("#pay:not([disabled])").await?;
    browser.driver.find(By::Id("pay")).await?.click().await?;
    browser.wait_for("[data-threeds-react-challenge] [data-threeds-challenge] iframe").await?;
    browser.driver.find(By::Id("toggle")).await?.click().await?;
    let deadline = tokio::time::Instant::now() + STEP_TIMEOUT;
    while host_frames(&browser).await? != 0 {
        assert!(tokio::time::Instant::now() < deadline, "the challenge outlived the unmount");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    browser.quit().await
}

/// The strict-CSP checkout page's HTML at `origin`: its only script comes from the
/// SDK origin, the embed is preloaded with its hash from the build's integrity.json,
/// and the host frame is declared in the HTML, asking the page for its app, whose
/// download the page starts, as the README shows (no `style`).
fn strict_csp_page(sdk: &str, origin: &str) -> String {
    let manifest: Value =
        serde_json::from_str(&std::fs::read_to_string(served_dir().join("integrity.json")).expect("integrity.json")).expect("integrity.json is JSON");
    let js = manifest["threeds-web.js"].as_str().expect("the embed's hash");
    let parent = origin.replace(':', "%3A").replace('/', "%2F");
    format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Strict CSP checkout</title>\n\
         <link rel=\"modulepreload\" href=\"{sdk}/threeds-web.js\" crossorigin integrity=\"{js}\">\n\
         <link rel=\"preload\" href=\"{sdk}/threeds-host_bg.wasm\" as=\"fetch\" crossorigin>\n\
         <script type=\"module\" src=\"{sdk}/__kit__/csp/app.js\"></script>\n</head>\n\
         <body>\n<iframe data-threeds-host hidden title=\"3-D Secure\" src=\"{sdk}/host.html?parent={parent}&amp;locale=en&amp;app=parent\"\n\
         allow=\"payment; publickey-credentials-get; publickey-credentials-create\"></iframe>\n\
         <main><h1>Checkout under a strict CSP</h1><div id=\"slot\"></div></main>\n</body>\n</html>\n"
    )
}

/// A one-page HTTP server on a free loopback port: every GET gets the page `body`
/// writes for the server's origin, with `csp` as its `Content-Security-Policy`
/// header. Test-only; it stops with the test's runtime.
async fn serve_page(body: impl FnOnce(&str) -> String, csp: String) -> std::io::Result<String> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let origin = format!("http://{}", listener.local_addr()?);
    let body = body(&origin);
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let (body, csp) = (body.clone(), csp.clone());
            tokio::spawn(async move {
                let mut request = Vec::new();
                let mut buffer = [0u8; 4096];
                while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                    match stream.read(&mut buffer).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => request.extend_from_slice(&buffer[..n]),
                    }
                }
                let favicon = request.starts_with(b"GET /favicon.ico");
                let (status, body) = if favicon { ("404 Not Found", String::new()) } else { ("200 OK", body) };
                let response = format!(
                    "HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Security-Policy: {csp}\r\n\
                     Cache-Control: no-store\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = stream.write_all(response.as_bytes()).await;
                let _ = stream.shutdown().await;
            });
        }
    });
    Ok(origin)
}

/// The checkout page's policy: the SDK origin only, no `'unsafe-inline'`, no hashes,
/// no `'wasm-unsafe-eval'` (the embed is plain JS); `connect_sdk` false leaves the
/// SDK origin out of `connect-src` (the control: a violation is counted).
fn policy(connect_sdk: bool) -> String {
    let (sdk, api) = (sdk_origin(), api());
    let connect = if connect_sdk { format!("{sdk} {api}") } else { api };
    format!("default-src 'none'; script-src {sdk}; frame-src {sdk}; connect-src {connect}; style-src {sdk}")
}

async fn run_strict_page(browser: &Browser, origin: &str, mode: &str) -> WebDriverResult<(String, String, Value)> {
    browser.driver.enter_default_frame().await?;
    browser.driver.goto(format!("{origin}/?api={}&pan={CHALLENGE_CARD}&mode={mode}", api())).await?;
    // The policy allows no inline style: the challenge is styled all the same (the
    // modal fixed above the page, the frame at its spec size, not the browser's 300 x 150).
    browser.wait_for("[data-threeds-challenge] iframe").await?;
    let layout = browser
        .script(
            "const root = document.querySelector('[data-threeds-challenge]');\n\
             const frame = root.querySelector('iframe').getBoundingClientRect();\n\
             return [root.dataset.threedsChallenge, getComputedStyle(root).position, frame.width, frame.height];",
        )
        .await?;
    let code = layout[0].as_str().unwrap_or_default();
    let expected_position = if mode == "modal" { "fixed" } else { "static" };
    assert_eq!(layout[1], expected_position, "{mode}: the challenge's root is styled: {layout}");
    let (width, height) = ChallengeWindowSize::from_code(code)
        .and_then(ChallengeWindowSize::dimensions)
        .unwrap_or_else(|| panic!("{mode}: a fixed spec size fits this window: {layout}"));
    assert_eq!((layout[2].as_f64(), layout[3].as_f64()), (Some(f64::from(width)), Some(f64::from(height))), "{mode}: the frame has size {code}");
    browser.submit_code(ONE_TIME_CODE).await?;
    let (done, result) = page_result(browser).await?;
    let violations = json_attr(&browser.driver.find(By::Tag("body")).await?, "data-violations").await?;
    Ok((done, result, violations))
}

#[tokio::test]
async fn a_strict_csp_checkout_page_runs_a_whole_challenge_with_zero_violations() -> WebDriverResult<()> {
    let strict = policy(true);
    let browser = Browser::start().await?;
    let origin = serve_page(|origin| strict_csp_page(&sdk_origin(), origin), strict).await?;
    for mode in ["modal", "inline"] {
        let (done, result, violations) = run_strict_page(&browser, &origin, mode).await?;
        assert_eq!((done.as_str(), result.as_str()), ("ok", "Y"), "{mode}: the challenge ends authenticated");
        assert_eq!(violations, Value::Array(Vec::new()), "{mode}: no CSP violation");
        println!("strict CSP, {mode} challenge: {} violations", violations.as_array().map_or(0, Vec::len));
    }

    // The control: the same page without the SDK origin in connect-src. The embed's
    // fetch of the host app for its frames is refused, and the page's listener counts
    // that violation; the frames fetch their app themselves, and the challenge ends.
    let origin = serve_page(|origin| strict_csp_page(&sdk_origin(), origin), policy(false)).await?;
    let (done, result, violations) = run_strict_page(&browser, &origin, "modal").await?;
    assert_eq!((done.as_str(), result.as_str()), ("ok", "Y"), "the host frames fetch their own app");
    let violations = violations.as_array().cloned().unwrap_or_default();
    assert!(violations.iter().any(|v| v.as_str().is_some_and(|v| v.starts_with("connect-src"))), "{violations:?}");
    browser.quit().await
}

/// Runs axe-core (npm) in the current page; returns its violations (rule id and targets).
async fn axe(browser: &Browser) -> WebDriverResult<Vec<String>> {
    let source = std::fs::read_to_string(kit_dir().join("axe.min.js"))?;
    browser.driver.execute(&source, Vec::new()).await?;
    // Cross-origin frames are out of axe's reach: `iframes: false` skips them at once.
    let result = browser
        .driver
        .execute_async(
            "const done = arguments[arguments.length - 1];\
             axe.run(document, { iframes: false }).then(\
               (r) => done(r.violations.map((v) => v.id + ' ' + v.nodes.map((n) => n.target.join(' ')).join(', '))),\
               (e) => done(['axe failed: ' + e]));",
            Vec::new(),
        )
        .await?
        .json()
        .clone();
    Ok(result.as_array().into_iter().flatten().filter_map(|v| v.as_str().map(str::to_owned)).collect())
}

#[tokio::test]
async fn axe_finds_no_violation_on_the_demo_checkout_nor_its_open_modal_challenge() -> WebDriverResult<()> {
    let browser = Browser::start().await?;
    browser.open_checkout().await?;
    let page = axe(&browser).await?;
    assert!(page.is_empty(), "the demo checkout: {page:?}");
    println!("axe, demo checkout: {} violations", page.len());

    browser.pay(CHALLENGE_CARD, PayOptions { mode: Mode::Modal, ..PayOptions::default() }).await?;
    // The bank's page is up inside the modal before axe looks.
    browser.enter_acs().await?;
    browser.wait_for("#otp").await?;
    browser.driver.enter_default_frame().await?;
    browser.wait_for("[data-threeds-challenge] [role='dialog']").await?;
    let modal = axe(&browser).await?;
    assert!(modal.is_empty(), "the open modal challenge: {modal:?}");
    println!("axe, open modal challenge: {} violations", modal.len());
    browser.submit_code(ONE_TIME_CODE).await?;
    assert!(matches!(browser.outcome().await?, threeds_e2e::Outcome::Result { ref trans_status, .. } if trans_status == "Y"));
    browser.quit().await
}
