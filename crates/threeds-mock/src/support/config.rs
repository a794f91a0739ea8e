//! Command-line configuration (clap): hosts, ports, keys, lifetimes, origins.

use std::net::IpAddr;
use std::time::Duration;

use clap::Parser;

use crate::support::origin::OriginPattern;

/// The prefix of a live publishable key.
pub const LIVE_PUBLISHABLE_PREFIX: &str = "pk_live_";

/// A local 3DS Server + Directory Server + ACS for every test card, on two loopback origins.
///
/// The 3DS Server origin serves the session API (`/3ds/sessions`), the DS endpoint
/// (`POST /ds/areq`) and the notification pages; the ACS origin serves the 3DS
/// Method page and the challenge pages.
#[derive(Debug, Clone, Parser)]
#[command(name = "threeds-mock", version, about, long_about = None)]
pub struct Config {
    /// Address both origins listen on.
    #[arg(long, env = "THREEDS_MOCK_HOST", default_value = "127.0.0.1")]
    pub host: IpAddr,
    /// Port of the 3DS Server origin; 0 picks a free one.
    #[arg(long, env = "THREEDS_MOCK_SERVER_PORT", default_value_t = 8181)]
    pub server_port: u16,
    /// Port of the ACS origin; 0 picks a free one.
    #[arg(long, env = "THREEDS_MOCK_ACS_PORT", default_value_t = 8182)]
    pub acs_port: u16,
    /// Publishable key: creates sessions and reads their status (safe in a browser).
    /// Its prefix sets the mode: `pk_live_...` is live (only `token_id` is taken,
    /// never a raw `pan`); any other key (`pk_test_...`) is a test key.
    #[arg(long, env = "THREEDS_MOCK_PUBLISHABLE_KEY", default_value = "pk_test_threeds_mock")]
    pub publishable_key: String,
    /// Secret key: also authenticates and reads results (servers only).
    #[arg(long, env = "THREEDS_MOCK_SECRET_KEY", default_value = "sk_test_threeds_mock", hide_env_values = true)]
    pub secret_key: String,
    /// The Stripe emulation's secret key (`/stripe/v1/...`, servers only).
    #[arg(long, env = "THREEDS_MOCK_STRIPE_SECRET_KEY", default_value = "sk_test_threeds_mock_stripe", hide_env_values = true)]
    pub stripe_secret_key: String,
    /// The Stripe emulation's publishable key: reads an intent with its client secret (browsers).
    #[arg(long, env = "THREEDS_MOCK_STRIPE_PUBLISHABLE_KEY", default_value = "pk_test_threeds_mock_stripe")]
    pub stripe_publishable_key: String,
    /// How long a session (and its ACS transaction) lives, in seconds.
    #[arg(long, env = "THREEDS_MOCK_SESSION_LIFETIME", default_value_t = 900)]
    pub session_lifetime_secs: u64,
    /// At most this many live sessions; more get HTTP 503 until some expire.
    #[arg(long, default_value_t = 10_000)]
    pub max_sessions: usize,
    /// Origins allowed to frame the ACS and notification pages (CSP frame-ancestors);
    /// `:*` allows any port. Repeat the flag for several.
    #[arg(long = "embed-origin", default_values = ["http://localhost:*", "http://127.0.0.1:*"])]
    pub embed_origins: Vec<OriginPattern>,
    /// Origins of SDK host pages: may call the session API (CORS) and receive the
    /// notification pages' messages (the exact origin is the postMessage target).
    #[arg(long = "sdk-origin", default_values = ["http://localhost:*", "http://127.0.0.1:*"])]
    pub sdk_origins: Vec<OriginPattern>,
    /// Serve this directory (the built SDK host page: host.html and its wasm) on a
    /// third origin, as the SDK's own origin; off when not given.
    #[arg(long)]
    pub host_dir: Option<std::path::PathBuf>,
    /// Port of the SDK host origin (with --host-dir); 0 picks a free one.
    #[arg(long, default_value_t = 8183)]
    pub host_port: u16,
    /// Serve the demo merchant's server (`/demo-merchant/...`, for the demo checkout
    /// page and the end-to-end tests); off unless given. Its endpoints take the
    /// publishable key (`Authorization: Bearer pk_...`).
    #[arg(long)]
    pub demo_merchant: bool,
    /// Serve a faulty session API under `/faults/{kind}/...` (CORS as the real one):
    /// `500` answers HTTP 500, `not-json` answers 200 with a body that is not JSON,
    /// `hang` does not answer for 30 s, `relay-puppet` is a page on the API's origin
    /// that posts what the top window tells it to its parent's other frames (a
    /// forger of relay messages). For testing how a client copes; off unless given.
    #[arg(long)]
    pub faults: bool,
    /// How long a decoupled authentication takes before the issuer confirms, in ms.
    #[arg(long, default_value_t = 3000)]
    pub decoupled_delay_ms: u64,
    /// How long the out-of-band page waits before the banking app approves by itself, in ms.
    #[arg(long, default_value_t = 4000)]
    pub oob_auto_approve_ms: u64,
    /// Stripe Sources emulation (`/stripe-sources/...`): the publishable key
    /// (creates sources, and reads one with its `client_secret`).
    #[arg(long, env = "THREEDS_MOCK_STRIPE_SOURCES_PUBLISHABLE_KEY", default_value = "pk_test_sources_mock")]
    pub stripe_sources_publishable_key: String,
    /// Stripe Sources emulation: the secret key (also charges, and reads any source).
    #[arg(long, env = "THREEDS_MOCK_STRIPE_SOURCES_SECRET_KEY", default_value = "sk_test_sources_mock", hide_env_values = true)]
    pub stripe_sources_secret_key: String,
    /// Stripe Sources emulation: where its events (`source.chargeable`, `charge.succeeded`, ...)
    /// are POSTed; without it, to the demo merchant's endpoint with `--demo-merchant`, else nowhere.
    #[arg(long)]
    pub stripe_sources_webhook_url: Option<String>,
    /// Stripe Sources emulation: delivery attempts per event (the first included).
    #[arg(long, default_value_t = 5)]
    pub stripe_sources_webhook_attempts: u32,
    /// Stripe Sources emulation: the wait before the first retry of a failed
    /// delivery, in ms; it doubles with each further retry.
    #[arg(long, default_value_t = 1000)]
    pub stripe_sources_webhook_retry_ms: u64,
    /// Checkout.com emulation (`/checkout/...`): the public key (creates card tokens).
    #[arg(long, env = "THREEDS_MOCK_CHECKOUT_PUBLIC_KEY", default_value = "pk_sbox_threeds_mock")]
    pub checkout_public_key: String,
    /// Checkout.com emulation: the secret key (requests and reads payments).
    #[arg(long, env = "THREEDS_MOCK_CHECKOUT_SECRET_KEY", default_value = "sk_sbox_threeds_mock", hide_env_values = true)]
    pub checkout_secret_key: String,
    /// The issuer's view of the acquirer's fraud rate, in percent, for the
    /// transaction-risk-analysis exemption (challenge preference 05): at most
    /// 0.13 covers up to EUR 100, 0.06 up to EUR 250, 0.01 up to EUR 500.
    #[arg(long, env = "THREEDS_MOCK_ACQUIRER_FRAUD_RATE", default_value_t = crate::acs::exemptions::DEFAULT_ACQUIRER_FRAUD_RATE)]
    pub acquirer_fraud_rate: f64,
}

impl Config {
    /// A configuration on free loopback ports, for tests.
    pub fn ephemeral() -> Self {
        Self::parse_from(["threeds-mock", "--server-port", "0", "--acs-port", "0", "--host-port", "0"])
    }

    /// Whether the publishable key is a live one (`pk_live_...`): then the browser
    /// may send only `token_id`, never a raw card number (PCI DSS scope).
    pub fn publishable_key_is_live(&self) -> bool {
        self.publishable_key.starts_with(LIVE_PUBLISHABLE_PREFIX)
    }

    /// The session lifetime.
    pub fn session_lifetime(&self) -> Duration {
        Duration::from_secs(self.session_lifetime_secs)
    }
}
