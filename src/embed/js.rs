//! Plain JS objects in and out of the embed, field by field through `Reflect`.
//!
//! Why not serde here: the embed is what every checkout page downloads before the
//! host frame, with a budget of 35 KB gzipped. serde's derived deserializers for
//! the tagged wire enums, with serde-wasm-bindgen and float formatting for their
//! errors, alone weighed more than that. The host app (and the tests) keep the
//! serde types of `threeds-api`; the browser tests check that both sides agree.

use js_sys::{Object, Reflect};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Event, EventTarget};

use super::options::MAX_TIMEOUT_MS;
use threeds_api::{AcsErroDetail, Command, ErrorCode, FlowId, Ignored, PROTOCOL, VERSION};

/// `RefCell`'s borrows, throwing a JS error instead of panicking: the borrow panics'
/// formatted messages cost the budgeted embed about 400 bytes gzipped. No borrow is
/// held across a call into the page's callbacks (`resolve`, `reject`, event
/// handlers), which may call the client again. A page that patched a DOM method the
/// embed calls under a borrow (`moveBefore`) to call back in would meet the throw;
/// the borrow then stays taken (a throw runs no destructors) and the client throws
/// from then on, where a panic would have stopped the whole module.
pub trait Shared<T> {
    /// `RefCell::borrow`.
    fn read(&self) -> std::cell::Ref<'_, T>;
    /// `RefCell::borrow_mut`.
    fn write(&self) -> std::cell::RefMut<'_, T>;
}

impl<T> Shared<T> for std::cell::RefCell<T> {
    fn read(&self) -> std::cell::Ref<'_, T> {
        self.try_borrow().unwrap_or_else(|_| wasm_bindgen::throw_str("threeds-web: re-entrant call"))
    }

    fn write(&self) -> std::cell::RefMut<'_, T> {
        self.try_borrow_mut().unwrap_or_else(|_| wasm_bindgen::throw_str("threeds-web: re-entrant call"))
    }
}

/// Joins strings: the embed's `format!`, without the formatting machinery (the
/// embed's size is budgeted).
pub fn cat(parts: &[&str]) -> String {
    let mut joined = String::new();
    for part in parts {
        joined.push_str(part);
    }
    joined
}

/// A number in decimal, written by JS (`Number.prototype.toString`): no formatting
/// machinery in the budgeted embed.
pub fn decimal(n: u32) -> String {
    js_sys::Number::from(f64::from(n)).to_string_with_radix(10).map(String::from).unwrap_or_default()
}

/// Why a message was ignored, for the `debug` event (`Ignored`'s `Display`, without
/// the formatting machinery).
pub fn describe(ignored: &Ignored) -> String {
    match ignored {
        Ignored::Origin(origin) => cat(&["message from unexpected origin ", origin]),
        Ignored::Source => "message from an unexpected window".into(),
        Ignored::Foreign => "not a threeds-web message".into(),
        Ignored::Version(v) => cat(&["threeds-web message of unsupported version ", &decimal(u32::from(*v))]),
        Ignored::Malformed(why) => cat(&["malformed threeds-web message: ", why]),
        Ignored::OtherFlow => "message for another flow or transaction".into(),
        Ignored::Duplicate => "duplicate message for a settled flow".into(),
    }
}

/// An object to fill with [`set`].
pub fn object() -> Object {
    Object::new()
}

/// Sets `key` on `target`; `None` leaves it out, as serde's `skip_serializing_if` would.
pub fn set(target: &Object, key: &str, value: impl Into<Option<JsValue>>) {
    if let Some(value) = value.into() {
        let _ = Reflect::set(target, &JsValue::from_str(key), &value);
    }
}

/// A string value, for [`set`].
pub fn str(value: &str) -> Option<JsValue> {
    Some(JsValue::from_str(value))
}

/// A number value, for [`set`].
pub fn num(value: u32) -> Option<JsValue> {
    Some(JsValue::from_f64(f64::from(value)))
}

/// Sets an ACS Erro's `errorCode`, `errorComponent` and `errorDescription` on `target`.
pub fn set_acs(target: &Object, acs: &AcsErroDetail) {
    set(target, "errorCode", str(&acs.error_code));
    set(target, "errorComponent", str(&acs.error_component));
    set(target, "errorDescription", str(&acs.error_description));
}

/// Reads the fields of an options object a page passed in; errors name the option.
pub struct Fields<'a> {
    source: &'a JsValue,
    /// What the object is, for messages: `ThreeDS.load options`.
    what: &'static str,
}

impl<'a> Fields<'a> {
    /// The fields of `source`, which must be an object.
    pub fn of(source: &'a JsValue, what: &'static str) -> Result<Self, String> {
        if source.is_object() { Ok(Self { source, what }) } else { Err(cat(&[what, " must be an object"])) }
    }

    /// The raw value of a field; `None` when it is missing, undefined or null.
    pub fn value(&self, name: &str) -> Option<JsValue> {
        Reflect::get(self.source, &JsValue::from_str(name)).ok().filter(|v| !v.is_undefined() && !v.is_null())
    }

    /// An optional string field.
    pub fn string(&self, name: &str) -> Result<Option<String>, String> {
        match self.value(name) {
            None => Ok(None),
            Some(value) => value.as_string().map(Some).ok_or_else(|| cat(&[self.what, ": ", name, " must be a string"])),
        }
    }

    /// A string field that must be there.
    pub fn required_string(&self, name: &str) -> Result<String, String> {
        self.string(name)?.ok_or_else(|| cat(&[self.what, ": ", name, " is required"]))
    }

    /// An optional whole number of milliseconds, 0 to [`MAX_TIMEOUT_MS`] (a day):
    /// with the margins the embed adds, timers stay below 2^31 - 1, past which a
    /// browser timer fires at once.
    pub fn millis(&self, name: &str) -> Result<Option<u32>, String> {
        match self.value(name) {
            None => Ok(None),
            Some(value) => match value.as_f64() {
                Some(n) if n.fract() == 0.0 && (0.0..=f64::from(MAX_TIMEOUT_MS)).contains(&n) => Ok(Some(n as u32)),
                _ => Err(cat(&[self.what, ": ", name, " must be a whole number of milliseconds, at most 86400000"])),
            },
        }
    }
}

/// The command as the host frame reads it: the JSON shape of `Envelope<Command>`.
pub fn command(command: &Command) -> JsValue {
    let message = object();
    set(&message, "protocol", str(PROTOCOL));
    set(&message, "version", num(u32::from(VERSION)));
    match command {
        Command::Call { flow, call, options, window_size, method_timeout_ms } => {
            set(&message, "kind", str("call"));
            set(&message, "flow", num(*flow));
            set(&message, "call", str(call));
            set(&message, "options", str(options));
            set(&message, "windowSize", window_size.as_deref().and_then(str));
            set(&message, "methodTimeoutMs", num(*method_timeout_ms));
        }
        Command::Cancel { flow } => {
            set(&message, "kind", str("cancel"));
            set(&message, "flow", num(*flow));
        }
        // Sent by preload.js, never by the embed: written here for the round-trip tests.
        Command::Hello => set(&message, "kind", str("hello")),
    }
    message.into()
}

/// The longest string field a report may carry, bytes.
const MAX_STRING: usize = 2048;
/// The longest a report's object may be as JSON text (a CRes, the browser fields,
/// a return page's query), UTF-16 code units.
const MAX_JSON: u32 = 16 * 1024;

/// A report from a host frame, as the embed acts on it: the host writes each
/// flow's result and each event's detail ready made (`value`, `detail`: plain
/// objects), so the embed reads no result field by field.
#[derive(Debug)]
pub enum Incoming {
    /// The host app is listening.
    Ready,
    /// A flow's progress event (`method-started`, `method-completed`) and its detail.
    Event { flow: FlowId, name: String, detail: JsValue },
    /// The bank's page is showing.
    ChallengeShown { flow: FlowId },
    /// Escape was pressed inside the host frame.
    CancelRequested { flow: FlowId },
    /// The flow's promise resolves with `value`; then `event`, if any, fires with it.
    Resolved { flow: FlowId, value: JsValue, event: Option<String> },
    /// The flow's promise rejects with a typed error.
    Failed { flow: FlowId, code: ErrorCode, message: String, acs: Option<Box<AcsErroDetail>> },
}

impl Incoming {
    /// The flow it belongs to (`Ready` belongs to none).
    pub fn flow(&self) -> Option<FlowId> {
        match self {
            Self::Ready => None,
            Self::Event { flow, .. }
            | Self::ChallengeShown { flow }
            | Self::CancelRequested { flow }
            | Self::Resolved { flow, .. }
            | Self::Failed { flow, .. } => Some(*flow),
        }
    }
}

/// Reads a report a host frame posted (its wire form: [`threeds_api::Report::wire_kind`]).
/// Not ours at all: [`Ignored::Foreign`]; ours but of another version or shape:
/// [`Ignored::Version`] or [`Ignored::Malformed`] naming the field.
pub fn report(data: &JsValue) -> Result<Incoming, Ignored> {
    let field = |name: &str| if data.is_object() { Reflect::get(data, &JsValue::from_str(name)).ok() } else { None };
    if field("protocol").and_then(|p| p.as_string()).as_deref() != Some(PROTOCOL) {
        return Err(Ignored::Foreign);
    }
    let version = field("version").and_then(|v| v.as_f64());
    if version != Some(f64::from(VERSION)) {
        // Any other number is a version we do not speak; anything else is no version.
        return Err(match version {
            Some(v) if v.fract() == 0.0 && (0.0..=255.0).contains(&v) => Ignored::Version(v as u8),
            _ => Ignored::Malformed("version".into()),
        });
    }
    let malformed = |name: &str| Ignored::Malformed(cat(&[name, " is missing or of the wrong type"]));
    // A string longer than any the host writes is no report of ours (an oversized payload).
    let string = |name: &str| field(name).and_then(|v| v.as_string()).filter(|s| s.len() <= MAX_STRING).ok_or_else(|| malformed(name));
    // An object larger than any the host writes is no report of ours either.
    let small = |v: &JsValue| js_sys::JSON::stringify(v).is_ok_and(|text| text.length() <= MAX_JSON);
    let object = |name: &str| field(name).filter(|v| v.is_object() && small(v)).ok_or_else(|| malformed(name));
    let kind = string("kind")?;
    if kind == "ready" {
        return Ok(Incoming::Ready);
    }
    let flow = field("flow")
        .and_then(|v| v.as_f64())
        .filter(|n| n.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(n))
        .ok_or_else(|| malformed("flow"))? as FlowId;
    Ok(match kind.as_str() {
        "event" => {
            let name = string("name")?;
            if !matches!(name.as_str(), "method-started" | "method-completed") {
                return Err(malformed("name"));
            }
            Incoming::Event { flow, name, detail: object("detail")? }
        }
        "challenge-shown" => Incoming::ChallengeShown { flow },
        "cancel-requested" => Incoming::CancelRequested { flow },
        "resolved" => {
            let event = match field("event").filter(|v| !v.is_undefined() && !v.is_null()) {
                None => None,
                Some(event) => match event.as_string() {
                    Some(name) if matches!(name.as_str(), "challenge-completed" | "returned") => Some(name),
                    _ => return Err(malformed("event")),
                },
            };
            Incoming::Resolved { flow, value: object("value")?, event }
        }
        "failed" => {
            let (code, message) = (ErrorCode::parse(&string("code")?).ok_or_else(|| malformed("code"))?, string("message")?);
            Incoming::Failed { flow, code, message, acs: acs_detail(data) }
        }
        _ => return Err(Ignored::Malformed("kind".into())),
    })
}

/// An `acs_error`'s Erro fields (a part missing reads as ""), if the report has them.
#[inline(never)]
fn acs_detail(data: &JsValue) -> Option<Box<AcsErroDetail>> {
    let part = |name: &str| Reflect::get(data, &JsValue::from_str(name)).ok().and_then(|v| v.as_string());
    let error_code = part("errorCode")?;
    Some(Box::new(AcsErroDetail {
        error_code,
        error_component: part("errorComponent").unwrap_or_default(),
        error_description: part("errorDescription").unwrap_or_default(),
    }))
}

/// An event listener, removed when dropped: gloo-events' contract, without the
/// options object gloo passes (whose bindings the budgeted embed does not need).
#[must_use = "the listener is removed when this is dropped"]
pub struct Listener {
    target: EventTarget,
    kind: &'static str,
    callback: Closure<dyn FnMut(Event)>,
}

impl Listener {
    /// Listens for `kind` events on `target` (bubbling phase).
    pub fn new(target: &EventTarget, kind: &'static str, mut callback: impl FnMut(&Event) + 'static) -> Self {
        let callback = Closure::<dyn FnMut(Event)>::new(move |event: Event| callback(&event));
        let _ = target.add_event_listener_with_callback(kind, callback.as_ref().unchecked_ref());
        Self { target: target.clone(), kind, callback }
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        let _ = self.target.remove_event_listener_with_callback(self.kind, self.callback.as_ref().unchecked_ref());
    }
}

/// Query parameters that are secrets: they leave the address bar once read.
pub const SECRET_PARAMS: [&str; 3] = ["payment_intent_client_secret", "setup_intent_client_secret", "client_secret"];
