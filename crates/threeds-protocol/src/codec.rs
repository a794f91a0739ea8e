//! base64url for EMV 3DS form fields (`threeDSMethodData`, `creq`, `cres`,
//! `threeDSSessionData`): strict when writing, lenient when reading.

use base64::Engine as _;
use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};

use crate::ProtocolError;

/// Writes: RFC 4648 §5 URL-safe alphabet, no padding (EMV 3DS Method and CReq rule).
const WRITE: GeneralPurpose = base64::engine::general_purpose::URL_SAFE_NO_PAD;

const LENIENT: GeneralPurposeConfig =
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent).with_decode_allow_trailing_bits(true);
/// Reads URL-safe input, padded or not.
const READ_URL_SAFE: GeneralPurpose = GeneralPurpose::new(&alphabet::URL_SAFE, LENIENT);
/// Reads standard-alphabet input, padded or not (some ACSs send it).
const READ_STANDARD: GeneralPurpose = GeneralPurpose::new(&alphabet::STANDARD, LENIENT);

/// Encodes bytes as unpadded base64url.
pub fn encode(bytes: &[u8]) -> String {
    WRITE.encode(bytes)
}

/// Decodes base64url or standard base64, padded or not, refusing input whose
/// decoded size could exceed `max_decoded_len` bytes (checked before decoding).
///
/// Whitespace around the value (as in HTML form fields) is ignored.
pub fn decode(input: &str, max_decoded_len: usize) -> Result<Vec<u8>, ProtocolError> {
    let input = input.trim();
    let decoded_upper_bound = input.len() / 4 * 3 + 3;
    if decoded_upper_bound > max_decoded_len + 3 {
        return Err(ProtocolError::TooLarge { limit: max_decoded_len, actual: input.len() / 4 * 3 });
    }
    let bytes = if input.contains(['+', '/']) { READ_STANDARD.decode(input) } else { READ_URL_SAFE.decode(input) }
        .map_err(|error| ProtocolError::Base64(error.to_string()))?;
    if bytes.len() > max_decoded_len {
        return Err(ProtocolError::TooLarge { limit: max_decoded_len, actual: bytes.len() });
    }
    Ok(bytes)
}

/// Encodes a value as JSON, then as unpadded base64url.
pub fn encode_json<T: serde::Serialize>(value: &T) -> String {
    // Serialising our own types to JSON cannot fail: no maps with non-string keys.
    encode(&serde_json::to_vec(value).unwrap_or_default())
}

/// Decodes base64url (lenient, bounded) and parses the JSON inside.
pub fn decode_json<T: serde::de::DeserializeOwned>(input: &str, max_decoded_len: usize) -> Result<T, ProtocolError> {
    let bytes = decode(input, max_decoded_len)?;
    serde_json::from_slice(&bytes).map_err(|error| ProtocolError::Json(error.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_url_safe_without_padding() {
        // 0xfb 0xff encodes to "+/8=" in standard base64.
        assert_eq!(encode(&[0xfb, 0xff]), "-_8");
        assert_eq!(encode(b"a"), "YQ");
    }

    #[test]
    fn reads_both_alphabets_padded_or_not() {
        for input in ["-_8", "-_8=", "+/8", "+/8=", "  -_8\n"] {
            assert_eq!(decode(input, 16).unwrap(), vec![0xfb, 0xff], "{input:?}");
        }
    }

    #[test]
    fn refuses_garbage_and_oversize() {
        assert!(matches!(decode("a$b", 16), Err(ProtocolError::Base64(_))));
        let big = "A".repeat(4000);
        assert!(matches!(decode(&big, 1024), Err(ProtocolError::TooLarge { limit: 1024, .. })));
        // Exactly at the bound is fine: 1023 bytes is 1364 characters unpadded.
        let at_bound = encode(&[7u8; 1024]);
        assert_eq!(decode(&at_bound, 1024).unwrap().len(), 1024);
        assert!(decode(&encode(&[7u8; 1025]), 1024).is_err());
    }

    #[test]
    fn json_round_trip() {
        let value = serde_json::json!({"threeDSServerTransID": "8a880dc0-d2d2-4067-bcb1-b08d1690b26e"});
        let encoded = encode_json(&value);
        assert!(!encoded.contains('='));
        let back: serde_json::Value = decode_json(&encoded, 1024).unwrap();
        assert_eq!(back, value);
    }
}
