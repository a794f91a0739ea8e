//! `./x bench latency`: how long each step of a 3-D Secure payment takes in headless
//! Chromium against the mock, on loopback and on an emulated phone, and how many
//! bytes each frame downloads. Prints a Markdown table of p50 / p90.
//!
//! Each round loads `bench.html` (on the SDK host origin's `127.0.0.1` name; the
//! SDK host page on its `localhost` name, so the host frame is cross-origin) with
//! an empty browser cache, once per profile, the profiles interleaved so that any
//! drift of the machine touches both alike. The page times itself (see
//! `tests/pages/bench.js`); the two instants the page cannot see, the CReq reaching
//! the ACS and the CRes reaching the notification URL, come from the mock's request
//! log (`THREEDS_MOCK_LOG`): the log line's time less the request's duration. The
//! browser and the mock read the same system clock.
//!
//! Environment: `THREEDS_LATENCY_URL` (the page, with its `?api=` and `host=`),
//! `THREEDS_MOCK_LOG`, `THREEDS_LATENCY_ROUNDS` (default 25), `CHROMEDRIVER`;
//! `THREEDS_LATENCY_COMPARE` adds phone profiles, interleaved with the others:
//! `1` or `identity`, the phone with no content encoding accepted (the uncompressed
//! baseline of the precompressed SDK origin); comma-separated with it, `fed`,
//! loopback and the phone with a host frame that fetches its app itself, preloaded
//! by its page, as before host frames asked the checkout page for it
//! (`bench-self-fetch.html` declares `host-self-fetch.html`, without `app=parent`;
//! `./x bench latency` writes these pages beside `bench.html`); `declared`, loopback
//! and the phone on the page without its declared host frame
//! (`bench-preload-only.html`: `preload()` starts it);
//! `isolation`, loopback in a second browser with site isolation on (Chromium's
//! desktop default: the cross-site host frame in a process of its own); `warm`,
//! loopback and the phone on a second visit (the page loaded once before, so the
//! SDK's files are in the browser's cache as the SDK origin's `Cache-Control`
//! leaves them: the host frame's fresh, the embed's to revalidate); `devtools`,
//! loopback with the DevTools Network domain left on, as every profile ran before
//! (a loopback profile turns it off: it emulates no network, and the domain's
//! events cost the browser work on the page's path).

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use thirtyfour::cdp::Cdp;
use thirtyfour::prelude::*;
use threeds_e2e::{Browser, ONE_TIME_CODE, STEP_TIMEOUT};

/// The network and CPU a round runs under.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Profile {
    /// No throttling: loopback, this machine's CPU.
    Loopback,
    /// A mid-range phone on a slow mobile network: 150 ms latency, 1.6 Mbit/s down,
    /// 750 kbit/s up, the CPU 4 times slower (Lighthouse's mobile profile).
    Phone,
    /// [`Profile::Phone`] with a browser that accepts no content encoding, so every
    /// file comes uncompressed: the SDK origin as it was before its files were
    /// precompressed (`THREEDS_LATENCY_COMPARE=1`).
    PhoneIdentity,
    /// [`Profile::Phone`] on `bench-self-fetch.html`: the host frame fetches its app itself.
    PhoneSelfFetch,
    /// [`Profile::Loopback`], likewise.
    LoopbackSelfFetch,
    /// [`Profile::Phone`] on `bench-preload-only.html`: no host frame in the HTML,
    /// `preload()` starts it once the page's script runs.
    PhonePreloadOnly,
    /// [`Profile::Loopback`], likewise.
    LoopbackPreloadOnly,
    /// [`Profile::Loopback`] in a browser with site isolation on, as desktop
    /// Chromium runs by default: the host frame does not share the page's main thread.
    LoopbackIsolated,
    /// [`Profile::Loopback`] with the DevTools Network domain on, as every profile ran
    /// before (`THREEDS_LATENCY_COMPARE=devtools`): the browser reports each request
    /// to the harness, work on the page's path that no customer's browser does.
    LoopbackObserved,
    /// [`Profile::Phone`] on a second visit: the page was loaded once before.
    PhoneWarm,
    /// [`Profile::Loopback`], likewise.
    LoopbackWarm,
}

impl Profile {
    fn name(self) -> &'static str {
        match self {
            Self::Loopback => "loopback",
            Self::Phone => "phone",
            Self::PhoneIdentity => "phone, uncompressed",
            Self::PhoneSelfFetch => "phone, host frame fetches its app",
            Self::LoopbackSelfFetch => "loopback, host frame fetches its app",
            Self::PhonePreloadOnly => "phone, host frame started by preload()",
            Self::LoopbackPreloadOnly => "loopback, host frame started by preload()",
            Self::LoopbackIsolated => "loopback, site isolation on",
            Self::LoopbackObserved => "loopback, DevTools network events on",
            Self::PhoneWarm => "phone, second visit",
            Self::LoopbackWarm => "loopback, second visit",
        }
    }

    /// The page variant this profile loads: (a path in the benchmark's URL, what
    /// replaces it), none for the benchmark's own pages.
    fn variant(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Self::PhoneSelfFetch | Self::LoopbackSelfFetch => &[("/bench.html", "/bench-self-fetch.html"), ("/host.html", "/host-self-fetch.html")],
            Self::PhonePreloadOnly | Self::LoopbackPreloadOnly => &[("/bench.html", "/bench-preload-only.html")],
            Self::Loopback
            | Self::Phone
            | Self::PhoneIdentity
            | Self::LoopbackIsolated
            | Self::LoopbackObserved
            | Self::PhoneWarm
            | Self::LoopbackWarm => &[],
        }
    }

    /// Whether the measured visit is a second one: the page was loaded once before, unmeasured.
    fn second_visit(self) -> bool {
        matches!(self, Self::PhoneWarm | Self::LoopbackWarm)
    }

    /// The page this profile loads: the benchmark page, or its variant.
    fn page(self, url: &str) -> String {
        self.variant().iter().fold(url.to_owned(), |url, (path, variant)| url.replacen(path, variant, 1))
    }

    /// Sets this profile through the Chrome DevTools Protocol. Chromium runs without
    /// site isolation, so the cross-origin frames share the page's renderer and its
    /// throttling. The network is emulated through the Network domain; a loopback
    /// profile needs none, so it turns the domain off again (its events cost the
    /// browser work on the page's path), unless it measures that cost.
    async fn apply(self, cdp: &Cdp) -> WebDriverResult<()> {
        let loopback = matches!(
            self,
            Self::Loopback
                | Self::LoopbackSelfFetch
                | Self::LoopbackPreloadOnly
                | Self::LoopbackIsolated
                | Self::LoopbackObserved
                | Self::LoopbackWarm
        );
        let (latency, down, up, cpu) = if loopback { (0.0, -1.0, -1.0, 1.0) } else { (150.0, 1_600_000.0 / 8.0, 750_000.0 / 8.0, 4.0) };
        cdp.send_raw("Network.enable", json!({})).await?;
        // A request that carries its own Accept-Encoding keeps it: Chromium adds its
        // list (gzip, deflate, br, zstd) only when there is none.
        let headers = if self == Self::PhoneIdentity { json!({ "Accept-Encoding": "identity" }) } else { json!({}) };
        cdp.send_raw("Network.setExtraHTTPHeaders", json!({ "headers": headers })).await?;
        cdp.send_raw(
            "Network.emulateNetworkConditions",
            json!({ "offline": false, "latency": latency, "downloadThroughput": down, "uploadThroughput": up }),
        )
        .await?;
        cdp.send_raw("Emulation.setCPUThrottlingRate", json!({ "rate": cpu })).await?;
        if loopback && self != Self::LoopbackObserved {
            cdp.send_raw("Network.disable", json!({})).await?;
        }
        Ok(())
    }
}

/// The measures, in the table's order: (label, unit).
const MEASURES: &[(&str, &str)] = &[
    ("page start -> SDK ready (embed + host frame)", "ms"),
    ("`ThreeDS.load` -> ready (host frame)", "ms"),
    ("page start -> `preload()` called (the page's script runs)", "ms"),
    ("host frame: page start -> host.html received", "ms"),
    ("host frame: host.html received -> app wasm received (by the page or the frame)", "ms"),
    ("host frame: app wasm received -> ready", "ms"),
    ("`createSession`: API call (device data, POST /3ds/sessions)", "ms"),
    ("`createSession`: 3DS Method (method-started -> method-completed)", "ms"),
    ("`createSession`: total", "ms"),
    ("merchant authenticate (AReq -> ARes)", "ms"),
    ("frictionless end to end (createSession + authenticate)", "ms"),
    ("page start -> first 3DS Method completed (ready + method)", "ms"),
    ("`startChallenge` -> CReq at the ACS", "ms"),
    ("`startChallenge`: the call's work on the page (until it returns)", "ms"),
    ("CRes POST at the notification URL -> promise settled", "ms"),
    ("embed: bytes transferred (threeds-web.js)", "B"),
    ("host frame: bytes transferred (host page + app, whoever fetched it)", "B"),
    ("embed: bytes decoded", "B"),
    ("host frame: bytes decoded", "B"),
];

/// The host frame's own entries (it is cross-origin: the script runs inside it),
/// with when each was received as a wall-clock instant (`timeOrigin` + `responseEnd`).
const ENTRIES: &str = r#"return performance.getEntries()
  .filter((e) => e.entryType === "navigation" || e.entryType === "resource")
  .map((e) => ({ url: e.name, type: e.entryType, transfer: e.transferSize, decoded: e.decodedBodySize,
                 received: performance.timeOrigin + e.responseEnd }));"#;

#[tokio::main]
async fn main() -> WebDriverResult<()> {
    let url = std::env::var("THREEDS_LATENCY_URL").expect("THREEDS_LATENCY_URL: run through ./x bench latency");
    let log = std::env::var("THREEDS_MOCK_LOG").expect("THREEDS_MOCK_LOG: run through ./x bench latency");
    let rounds: usize = std::env::var("THREEDS_LATENCY_ROUNDS").ok().and_then(|n| n.parse().ok()).unwrap_or(25);
    let mut profiles = vec![Profile::Loopback, Profile::Phone];
    let compare = std::env::var("THREEDS_LATENCY_COMPARE").unwrap_or_default();
    for name in compare.split(',').map(str::trim).filter(|name| !name.is_empty()) {
        let added: &[Profile] = match name {
            "1" | "identity" => &[Profile::PhoneIdentity],
            "fed" => &[Profile::LoopbackSelfFetch, Profile::PhoneSelfFetch],
            "declared" => &[Profile::LoopbackPreloadOnly, Profile::PhonePreloadOnly],
            "isolation" => &[Profile::LoopbackIsolated],
            "warm" => &[Profile::LoopbackWarm, Profile::PhoneWarm],
            "devtools" => &[Profile::LoopbackObserved],
            other => panic!("THREEDS_LATENCY_COMPARE: no comparison named {other:?} (identity, fed, declared, isolation, warm, devtools)"),
        };
        for &profile in added {
            // A variant of a page that is not the benchmark's would silently measure the page itself.
            for (path, _) in profile.variant() {
                assert!(url.contains(path), "{}: THREEDS_LATENCY_URL has no {path} to vary: {url}", profile.name());
            }
            if !profiles.contains(&profile) {
                profiles.push(profile);
            }
        }
    }
    let browser = Browser::start_with(&["--disable-site-isolation-trials", "--disable-features=IsolateOrigins,site-per-process"]).await?;
    let cdp = browser.driver.cdp();
    // Site isolation is a browser-wide switch: its profile runs in a browser of its own.
    let isolated = if profiles.contains(&Profile::LoopbackIsolated) {
        let isolated = Browser::start().await?;
        let cdp = isolated.driver.cdp();
        Some((isolated, cdp))
    } else {
        None
    };
    let frictionless = MEASURES.iter().position(|(label, _)| label.starts_with("frictionless end to end")).expect("a frictionless measure");
    let version = browser.script("return navigator.userAgent").await?;
    eprintln!("latency: {rounds} rounds per profile, {}", version.as_str().unwrap_or("?"));

    let mut samples: BTreeMap<(Profile, usize), Vec<f64>> = BTreeMap::new();
    let started = Instant::now();
    // Round 0 warms the mock and Chromium up; it is not counted.
    for round in 0..=rounds {
        for &profile in &profiles {
            let (on, on_cdp) = match &isolated {
                Some((isolated, isolated_cdp)) if profile == Profile::LoopbackIsolated => (isolated, isolated_cdp),
                _ => (&browser, &cdp),
            };
            let measured = run_round(on, on_cdp, profile, &url, &log).await?;
            eprintln!("latency: round {round} {}: ready {:.0} ms, frictionless {:.0} ms", profile.name(), measured[0], measured[frictionless]);
            if round == 0 {
                continue;
            }
            for (index, value) in measured.into_iter().enumerate() {
                samples.entry((profile, index)).or_default().push(value);
            }
        }
        eprintln!("latency: round {round}/{rounds} done ({:.0} s)", started.elapsed().as_secs_f64());
    }
    browser.quit().await?;
    if let Some((isolated, _)) = isolated {
        isolated.quit().await?;
    }

    let heads: Vec<String> = profiles.iter().flat_map(|profile| [format!("{} p50", profile.name()), format!("{} p90", profile.name())]).collect();
    println!("| measure | {} |", heads.join(" | "));
    println!("| --- |{}", " ---: |".repeat(heads.len()));
    for (index, (label, unit)) in MEASURES.iter().enumerate() {
        let cells: Vec<String> = profiles
            .iter()
            .flat_map(|&profile| {
                let values = samples.get(&(profile, index)).cloned().unwrap_or_default();
                [percentile(&values, 50.0), percentile(&values, 90.0)].map(|value| format_value(value, unit))
            })
            .collect();
        println!("| {label} | {} |", cells.join(" | "));
    }
    Ok(())
}

/// One page load under `profile`: the page's run, the challenge answered, its measures.
async fn run_round(browser: &Browser, cdp: &Cdp, profile: Profile, url: &str, log: &str) -> WebDriverResult<Vec<f64>> {
    let driver = &browser.driver;
    driver.enter_default_frame().await?;
    // A blank page first, so that nothing of the last round runs under the new profile.
    driver.goto("about:blank").await?;
    cdp.send_raw("Network.clearBrowserCache", json!({})).await?;
    if profile.second_visit() {
        // The first visit, unthrottled and not measured: it leaves the SDK's files in the cache.
        Profile::Loopback.apply(cdp).await?;
        driver.goto(profile.page(url)).await?;
        wait_state(browser, &["challenge"]).await?;
        driver.goto("about:blank").await?;
    }
    profile.apply(cdp).await?;
    // The mock's log from here on: this visit's requests, not a first visit's.
    let log_start = std::fs::metadata(log).map_or(0, |metadata| metadata.len());
    driver.goto(profile.page(url)).await?;

    wait_state(browser, &["challenge"]).await?;
    // The cardholder: the bank's page, inside the challenge's host frame.
    browser.wait_for("[data-threeds-challenge] iframe").await?.enter_frame().await?;
    browser.wait_for("iframe[name^='threeds-challenge']").await?.enter_frame().await?;
    browser.wait_for("#otp").await?.send_keys(ONE_TIME_CODE).await?;
    driver.find(By::Id("submit")).await?.click().await?;
    driver.enter_default_frame().await?;
    let bench = wait_state(browser, &["done"]).await?;

    // The background host frame's downloads (the challenge's host frame loads the same files from the cache).
    browser.wait_for("iframe[aria-hidden='true']").await?.enter_frame().await?;
    let host_entries = browser.script(ENTRIES).await?;
    driver.enter_default_frame().await?;
    // What this visit's host frames kept goes with the browser cache: the next round
    // is a first visit again (a second visit's first load keeps it anew).
    clear_host_storage(cdp).await?;

    let t = |path: &str| bench.pointer(path).and_then(Value::as_f64).unwrap_or_else(|| panic!("the page recorded no {path}: {bench}"));
    let session_id = bench.pointer("/challenge/sessionId").and_then(Value::as_str).unwrap_or_default().to_owned();
    let creq = logged_arrival(log, log_start, "POST", "/acs/challenge", t("/challenge/startCall") - 1000.0).await;
    let cres =
        logged_arrival(log, log_start, "POST", &format!("/3ds/sessions/{session_id}/challenge-notification"), t("/challenge/startCall") - 1000.0)
            .await;
    // The host app's wasm counts for the host frame, whichever frame fetched it.
    let (page_entries, page_app) = split_app(&bench["entries"]);
    let (frame_entries, frame_app) = split_app(&host_entries);
    let (checkout_transfer, checkout_decoded) = bytes(&page_entries);
    let host_app: Vec<Value> = frame_entries.into_iter().chain(frame_app.clone()).chain(page_app.clone()).collect();
    let (host_transfer, host_decoded) = bytes(&host_app);
    let page_received = host_page_received(&host_entries);
    let wasm_received =
        frame_app.iter().chain(&page_app).find_map(|entry| entry["received"].as_f64()).expect("no entry for threeds-host_bg.wasm in either frame");
    Ok(vec![
        t("/t/ready") - t("/navigationStart"),
        t("/t/ready") - t("/t/loadCall"),
        t("/t/preloadCall") - t("/navigationStart"),
        page_received - t("/navigationStart"),
        wasm_received - page_received,
        t("/t/ready") - wasm_received,
        t("/frictionless/methodStarted") - t("/frictionless/call"),
        t("/frictionless/methodCompleted") - t("/frictionless/methodStarted"),
        t("/frictionless/sessionDone") - t("/frictionless/call"),
        t("/frictionless/authDone") - t("/frictionless/sessionDone"),
        t("/frictionless/authDone") - t("/frictionless/call"),
        t("/frictionless/methodCompleted") - t("/navigationStart"),
        creq - t("/challenge/startCall"),
        t("/challenge/startReturned") - t("/challenge/startCall"),
        t("/challenge/settled") - cres,
        checkout_transfer,
        host_transfer,
        checkout_decoded,
        host_decoded,
    ])
}

/// Clears the Cache Storage of the page's host frames (the host app each kept,
/// under the storage key of their origin within this page's site).
async fn clear_host_storage(cdp: &Cdp) -> WebDriverResult<()> {
    fn host_frames(tree: &Value, ids: &mut Vec<String>) {
        if tree["frame"]["url"].as_str().is_some_and(|url| url.contains("/host")) {
            ids.extend(tree["frame"]["id"].as_str().map(str::to_owned));
        }
        for child in tree["childFrames"].as_array().into_iter().flatten() {
            host_frames(child, ids);
        }
    }
    let tree = cdp.send_raw("Page.getFrameTree", json!({})).await?;
    let mut ids = Vec::new();
    host_frames(&tree["frameTree"], &mut ids);
    assert!(!ids.is_empty(), "the page has no host frame to clear the storage of: {tree}");
    for id in ids {
        let key = cdp.send_raw("Storage.getStorageKeyForFrame", json!({ "frameId": id })).await?;
        let key = key["storageKey"].as_str().expect("a storage key").to_owned();
        cdp.send_raw("Storage.clearDataForStorageKey", json!({ "storageKey": key, "storageTypes": "cache_storage" })).await?;
    }
    Ok(())
}

/// Polls the page's `window.bench` until its state is one of `states`; fails on "failed".
async fn wait_state(browser: &Browser, states: &[&str]) -> WebDriverResult<Value> {
    let deadline = Instant::now() + STEP_TIMEOUT * 2;
    loop {
        let bench = browser.script("return window.bench || null").await?;
        let state = bench.get("state").and_then(Value::as_str).unwrap_or("");
        if states.contains(&state) {
            return Ok(bench);
        }
        assert_ne!(state, "failed", "the benchmark page failed: {}", bench["error"]);
        assert!(Instant::now() < deadline, "the benchmark page did not reach {states:?} (state {state:?})");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Sums (transferSize, decodedBodySize) over a frame's entries, less the benchmark's
/// own page (`/__test__/`), the browser's favicon request and the pages of the frames
/// it holds (initiator `iframe`: a host frame counts its page itself): what the SDK
/// costs. Cross-origin entries (the session API's answers) count 0, as the Resource
/// Timing API reports them.
fn bytes(entries: &[Value]) -> (f64, f64) {
    let sdk = |entry: &&Value| {
        let url = entry["url"].as_str().unwrap_or_default();
        !url.contains("/__test__/") && !url.ends_with("/favicon.ico") && entry["type"] != "iframe"
    };
    entries.iter().filter(sdk).fold((0.0, 0.0), |(transfer, decoded), entry| {
        (transfer + entry["transfer"].as_f64().unwrap_or(0.0), decoded + entry["decoded"].as_f64().unwrap_or(0.0))
    })
}

/// A frame's entries: (all but the host app's wasm, the host app's wasm).
fn split_app(entries: &Value) -> (Vec<Value>, Vec<Value>) {
    entries
        .as_array()
        .into_iter()
        .flatten()
        .cloned()
        .partition(|entry| !entry["url"].as_str().is_some_and(|url| url.contains("/threeds-host_bg.wasm")))
}

/// When the host frame had its page: its navigation's last byte, whatever the page's name.
fn host_page_received(entries: &Value) -> f64 {
    entries
        .as_array()
        .into_iter()
        .flatten()
        .find(|entry| entry["type"] == "navigation")
        .and_then(|entry| entry["received"].as_f64())
        .expect("the host frame has no navigation entry")
}

/// When the mock received the first `method path` request logged after `since`
/// (wall-clock ms) in `log` from byte `from` on: the line's time less its
/// duration. Waits for the log to be written (it is written off the request path).
async fn logged_arrival(log: &str, from: u64, method: &str, path: &str, since: f64) -> f64 {
    let needle = format!("request method={method} path=\"{path}\" ");
    for _ in 0..100 {
        let bytes = std::fs::read(log).unwrap_or_default();
        let text = String::from_utf8_lossy(bytes.get(usize::try_from(from).unwrap_or(usize::MAX)..).unwrap_or_default());
        let found = text.lines().filter(|line| line.contains(&needle)).filter_map(arrival).find(|&at| at >= since);
        if let Some(at) = found {
            return at;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("no {method} {path} in {log} after {since}");
}

/// A request line's arrival: `2026-12-01T07:52:16.965233Z ... ms=3` -> its UTC
/// instant in ms since the epoch, less 3.
fn arrival(line: &str) -> Option<f64> {
    let stamp = line.split_whitespace().next()?;
    let (date, time) = stamp.strip_suffix('Z')?.split_once('T')?;
    let mut date = date.split('-').map(|part| part.parse::<i64>());
    let (year, month, day) = (date.next()?.ok()?, date.next()?.ok()?, date.next()?.ok()?);
    let mut time = time.split(':');
    let (hours, minutes, seconds) = (time.next()?.parse::<f64>().ok()?, time.next()?.parse::<f64>().ok()?, time.next()?.parse::<f64>().ok()?);
    let ms = line.rsplit_once(" ms=").and_then(|(_, ms)| ms.trim().parse::<f64>().ok()).unwrap_or(0.0);
    let days = days_from_civil(year, month, day) as f64;
    Some(((days * 24.0 + hours) * 60.0 + minutes) * 60_000.0 + seconds * 1000.0 - ms)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let day_of_year = (153 * (month + if month > 2 { -3 } else { 9 }) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The nearest-rank percentile of `values` (NaN when there are none).
fn percentile(values: &[f64], p: f64) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let rank = ((p / 100.0) * sorted.len() as f64).ceil().max(1.0) as usize;
    sorted[rank - 1]
}

fn format_value(value: f64, unit: &str) -> String {
    match unit {
        "B" => format!("{value:.0}"),
        _ => format!("{value:.0} ms"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_log_line_gives_its_arrival_in_epoch_ms() {
        let line = r#"2026-12-01T07:52:16.965233Z  INFO threeds_mock::support::layers: request method=POST path="/acs/challenge" status=200 ms=3"#;
        // 2026-12-01T00:00:00Z is 1796083200 s after the epoch.
        let expected = 1_796_083_200_000.0 + ((7.0 * 60.0 + 52.0) * 60.0 + 16.965233) * 1000.0 - 3.0;
        assert!((arrival(line).unwrap() - expected).abs() < 0.001);
        assert_eq!(days_from_civil(1970, 1, 1), 0);
    }

    #[test]
    fn percentiles_are_nearest_rank() {
        let values: Vec<f64> = (1..=10).map(f64::from).collect();
        assert_eq!(percentile(&values, 50.0), 5.0);
        assert_eq!(percentile(&values, 90.0), 9.0);
        assert!(percentile(&[], 50.0).is_nan());
    }
}
