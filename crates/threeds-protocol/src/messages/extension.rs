use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// A `messageExtension` entry: data a scheme or region adds to the standard messages.
///
/// Rule: at most 10 per message; an unrecognised extension with
/// `criticalityIndicator: true` is Erro 202.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MessageExtension {
    /// The extension's name, e.g. `CB-SCORE`.
    pub name: String,
    /// Its identifier, assigned by the owner.
    pub id: String,
    /// Whether a receiver that does not recognise it must reject the message.
    #[serde(rename = "criticalityIndicator")]
    pub criticality_indicator: bool,
    /// The extension's data, any JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<Value>,
    /// Fields this type does not model, kept as they came.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
