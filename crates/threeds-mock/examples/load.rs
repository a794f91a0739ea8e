//! Load on a running mock: many connections at once, first on a trivial handler
//! (`GET /healthz`), then on the session flow a merchant's load test drives
//! (`POST /3ds/sessions` with the publishable key, then
//! `POST /3ds/sessions/{id}/authenticate` with the secret key, frictionless card).
//! Prints one Markdown table: requests/s, p50 / p99 latency, errors, and the
//! mock's peak resident memory (read from /proc when `--pid` is given).
//!
//! `cargo run --release -p threeds-mock --example load -- --base-url http://127.0.0.1:8181 --pid <mock pid>`

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use clap::Parser;
use threeds_api::session::{Authenticate, CreateSession, CreatedSession, DeviceInfo, MerchantInfo, PurchaseInfo, RequestorInfo};
use tokio::sync::Mutex;

/// Drives load against a running threeds-mock.
#[derive(Debug, Parser)]
struct Args {
    /// The 3DS Server origin of the mock.
    #[arg(long, default_value = "http://127.0.0.1:8181")]
    base_url: String,
    /// Concurrent connections (one request in flight on each).
    #[arg(long, default_value_t = 256)]
    connections: usize,
    /// Seconds per phase.
    #[arg(long, default_value_t = 60)]
    seconds: u64,
    /// The mock's process ID, to sample its resident memory.
    #[arg(long)]
    pid: Option<u32>,
    /// The publishable key.
    #[arg(long, default_value = "pk_test_threeds_mock")]
    publishable_key: String,
    /// The secret key.
    #[arg(long, default_value = "sk_test_threeds_mock")]
    secret_key: String,
    /// A frictionless test card.
    #[arg(long, default_value = "5204247750001471")]
    pan: String,
}

/// Latencies (microseconds) and errors of one kind of request.
#[derive(Default)]
struct Tally {
    micros: Vec<u64>,
    errors: u64,
    first_error: Option<String>,
}

impl Tally {
    fn record(&mut self, started: Instant, outcome: Result<(), String>) {
        match outcome {
            Ok(()) => self.micros.push(started.elapsed().as_micros() as u64),
            Err(error) => {
                self.errors += 1;
                self.first_error.get_or_insert(error);
            }
        }
    }

    fn percentile(sorted: &[u64], p: f64) -> f64 {
        if sorted.is_empty() {
            return f64::NAN;
        }
        let rank = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
        sorted[rank] as f64 / 1000.0
    }

    fn row(&mut self, what: &str, elapsed: Duration, memory: Option<&Memory>) -> String {
        self.micros.sort_unstable();
        let done = self.micros.len() as f64;
        format!(
            "| {what} | {:.0} | {:.1} | {:.1} | {} | {} | {} |",
            done / elapsed.as_secs_f64(),
            Self::percentile(&self.micros, 50.0),
            Self::percentile(&self.micros, 99.0),
            self.errors,
            memory.map_or("n/a".into(), |m| format!("{:.1}", m.peak_kib as f64 / 1024.0)),
            memory.map_or("n/a".into(), Memory::quarters),
        )
    }
}

/// The mock's resident memory now, KiB (Linux only).
fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|line| line.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// The mock's memory over a phase: its peak, and a sample every 100 ms.
struct Memory {
    peak_kib: u64,
    samples_kib: Vec<u64>,
}

impl Memory {
    /// MiB at the end of each quarter of the phase: flat once the stores are full.
    fn quarters(&self) -> String {
        let n = self.samples_kib.len();
        (1..=4)
            .filter_map(|q| self.samples_kib.get((n * q / 4).saturating_sub(1)))
            .map(|kib| format!("{:.0}", *kib as f64 / 1024.0))
            .collect::<Vec<_>>()
            .join(" / ")
    }
}

/// Samples the mock's memory every 100 ms until `stop`.
fn sample_rss(pid: Option<u32>, stop: Arc<AtomicBool>) -> tokio::task::JoinHandle<Option<Memory>> {
    tokio::spawn(async move {
        let pid = pid?;
        let mut memory = Memory { peak_kib: 0, samples_kib: Vec::new() };
        while !stop.load(Ordering::Relaxed) {
            let now = rss_kib(pid).unwrap_or(0);
            memory.peak_kib = memory.peak_kib.max(now);
            memory.samples_kib.push(now);
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Some(memory)
    })
}

fn device_info() -> DeviceInfo {
    DeviceInfo {
        browser_accept_header: Some("text/html,application/xhtml+xml".into()),
        browser_ip: Some("127.0.0.1".into()),
        browser_javascript_enabled: Some(true),
        browser_java_enabled: Some(false),
        browser_language: Some("en-GB".into()),
        browser_accept_language: None,
        browser_color_depth: Some("24".into()),
        browser_screen_height: Some("1080".into()),
        browser_screen_width: Some("1920".into()),
        browser_tz: Some("-60".into()),
        browser_user_agent: Some("threeds-mock load".into()),
    }
}

fn authenticate() -> Authenticate {
    Authenticate {
        authentication_category: "payment".into(),
        authentication_type: "payment-transaction".into(),
        challenge_preference: None,
        request_decoupled_challenge: None,
        decoupled_challenge_max_time: None,
        merchant_info: Some(MerchantInfo {
            mid: "load-test".into(),
            acquirer_bin: "000000999".into(),
            name: "Load test".into(),
            category_code: "5999".into(),
            country_code: "826".into(),
            url: None,
        }),
        requestor_info: Some(RequestorInfo { amex_requestor_type: Some("MER".into()), cb_siret_number: None }),
        purchase_info: Some(PurchaseInfo { amount: "1999".into(), currency: "978".into(), exponent: Some("2".into()), ..Default::default() }),
        cardholder_info: Some(serde_json::Value::Object(Default::default())),
        broadcast_info: None,
        message_extensions: None,
    }
}

async fn expect_success(response: Result<reqwest::Response, reqwest::Error>) -> Result<reqwest::Response, String> {
    let response = response.map_err(|error| error.to_string())?;
    if response.status().is_success() {
        Ok(response)
    } else {
        let status = response.status();
        Err(format!("HTTP {status}: {}", response.text().await.unwrap_or_default().chars().take(200).collect::<String>()))
    }
}

/// Runs `connections` workers for `seconds`, each looping `step` (which records into the tallies).
async fn phase<F, Fut>(args: &Args, tallies: usize, step: F) -> (Vec<Tally>, Duration, Option<Memory>)
where
    F: Fn(reqwest::Client, Arc<Vec<Mutex<Tally>>>) -> Fut + Send + Sync + Clone + 'static,
    Fut: std::future::Future<Output = ()> + Send,
{
    let client = reqwest::Client::builder().pool_max_idle_per_host(args.connections).build().expect("an HTTP client");
    let shared: Arc<Vec<Mutex<Tally>>> = Arc::new((0..tallies).map(|_| Mutex::new(Tally::default())).collect());
    let stop = Arc::new(AtomicBool::new(false));
    let rss = sample_rss(args.pid, stop.clone());
    let deadline = Instant::now() + Duration::from_secs(args.seconds);
    let started = Instant::now();
    let workers: Vec<_> = (0..args.connections)
        .map(|_| {
            let (client, shared, step) = (client.clone(), shared.clone(), step.clone());
            tokio::spawn(async move {
                while Instant::now() < deadline {
                    step(client.clone(), shared.clone()).await;
                }
            })
        })
        .collect();
    for worker in workers {
        let _ = worker.await;
    }
    let elapsed = started.elapsed();
    stop.store(true, Ordering::Relaxed);
    let peak = rss.await.ok().flatten();
    let tallies = Arc::try_unwrap(shared).ok().expect("workers are done").into_iter().map(Mutex::into_inner).collect();
    (tallies, elapsed, peak)
}

#[tokio::main]
async fn main() {
    let args = Args::parse();
    let healthz = format!("{}/healthz", args.base_url);
    let (mut trivial, trivial_elapsed, trivial_rss) = phase(&args, 1, move |client, tallies| {
        let url = healthz.clone();
        async move {
            let started = Instant::now();
            let outcome = expect_success(client.get(&url).send().await).await.map(drop);
            tallies[0].lock().await.record(started, outcome);
        }
    })
    .await;

    let sessions_created = Arc::new(AtomicU64::new(0));
    let (base, pk, sk, pan) = (args.base_url.clone(), args.publishable_key.clone(), args.secret_key.clone(), args.pan.clone());
    let counter = sessions_created.clone();
    let (flow, flow_elapsed, flow_rss) = phase(&args, 2, move |client, tallies| {
        let (base, pk, sk, pan, counter) = (base.clone(), pk.clone(), sk.clone(), pan.clone(), counter.clone());
        async move {
            let body = CreateSession { pan: Some(pan), device: Some("browser".into()), device_info: Some(device_info()), ..Default::default() };
            let started = Instant::now();
            let created = expect_success(client.post(format!("{base}/3ds/sessions")).bearer_auth(&pk).json(&body).send().await).await;
            let created = match created {
                Ok(response) => response.json::<CreatedSession>().await.map_err(|error| error.to_string()),
                Err(error) => Err(error),
            };
            let id = created.as_ref().ok().map(|session| session.id.clone());
            tallies[0].lock().await.record(started, created.map(drop));
            let Some(id) = id else { return };
            counter.fetch_add(1, Ordering::Relaxed);
            let started = Instant::now();
            let url = format!("{base}/3ds/sessions/{id}/authenticate");
            let outcome = expect_success(client.post(url).bearer_auth(&sk).json(&authenticate()).send().await).await.map(drop);
            tallies[1].lock().await.record(started, outcome);
        }
    })
    .await;

    println!("{} connections, {} s per phase, against {}", args.connections, args.seconds, args.base_url);
    println!();
    println!("| endpoint | requests/s | p50 ms | p99 ms | errors | peak RSS MiB | RSS MiB at each quarter |");
    println!("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
    println!("{}", trivial[0].row("GET /healthz (trivial)", trivial_elapsed, trivial_rss.as_ref()));
    let mut flow = flow.into_iter();
    let (mut create, mut auth) = (flow.next().unwrap_or_default(), flow.next().unwrap_or_default());
    println!("{}", create.row("POST /3ds/sessions", flow_elapsed, flow_rss.as_ref()));
    println!("{}", auth.row("POST /3ds/sessions/{id}/authenticate", flow_elapsed, flow_rss.as_ref()));
    println!();
    println!("sessions created: {}", sessions_created.load(Ordering::Relaxed));
    for (what, tally) in [("healthz", &trivial[0]), ("create", &create), ("authenticate", &auth)] {
        if let Some(error) = &tally.first_error {
            println!("first {what} error: {error}");
        }
    }
}
