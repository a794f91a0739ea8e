//! Property tests: codec and message round trips, and decoders that never panic.

use proptest::prelude::*;
use serde_json::{Value, json};
use threeds_protocol::browser::{BrowserInfo, BrowserReadings, fit_language, normalise_color_depth, truncate_on_char_boundary};
use threeds_protocol::members::{Members, array_items};
use threeds_protocol::messages::{CReq, MethodData, MethodNotification};
use threeds_protocol::{ChallengeWindowSize, Message, MessageVersion, codec};

fn uuid() -> impl Strategy<Value = String> {
    "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
}

fn version() -> impl Strategy<Value = MessageVersion> {
    prop::sample::select(MessageVersion::ALL.to_vec())
}

/// Any JSON value a message might carry in a field we do not model.
fn extra_value() -> impl Strategy<Value = Value> {
    let leaf =
        prop_oneof![Just(Value::Null), any::<bool>().prop_map(Value::from), any::<i64>().prop_map(Value::from), ".{0,20}".prop_map(Value::from),];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
            prop::collection::btree_map("[a-z]{1,8}", inner, 0..4).prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// An object's members as serde_json reads them: the key, the value as written,
/// and a string value's text. `None` where serde_json refuses the text.
type ReadMembers = Vec<(String, String, Option<String>)>;

fn serde_members(json: &str) -> Option<ReadMembers> {
    let members = ordered_members(json)?;
    Some(members.into_iter().map(|(key, raw)| (key, raw.get().to_owned(), serde_json::from_str::<String>(raw.get()).ok())).collect())
}

/// serde_json's reading of an object, member by member in order (duplicates kept).
fn ordered_members(json: &str) -> Option<Vec<(String, &serde_json::value::RawValue)>> {
    struct Visitor;
    impl<'de> serde::de::Visitor<'de> for Visitor {
        type Value = Vec<(String, &'de serde_json::value::RawValue)>;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("an object")
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut members = Vec::new();
            while let Some(entry) = map.next_entry()? {
                members.push(entry);
            }
            Ok(members)
        }
    }
    let mut deserializer = serde_json::Deserializer::from_str(json);
    let members = serde::Deserializer::deserialize_map(&mut deserializer, Visitor).ok()?;
    deserializer.end().ok()?;
    Some(members)
}

fn our_members(json: &str) -> Option<ReadMembers> {
    let members = Members::parse(json).ok()?;
    Some(members.0.into_iter().map(|(key, member)| (key, member.raw().to_owned(), member.text())).collect())
}

/// JSON text, well formed or nearly: a value serde_json wrote (compactly or with
/// spaces) with a few characters put in, taken out or changed; or a run of
/// tokens, valid and invalid ones, after a `{`.
fn json_text() -> impl Strategy<Value = String> {
    let tricky = prop_oneof![
        Just(Value::from("\u{e9}\u{1F600}\"\\/\u{7f}\u{1}\u{8}\u{c}\n\t")),
        Just(Value::from(-0.0)),
        Just(Value::from(1.5e300)),
        Just(Value::from(1e-7)),
        Just(Value::from(u64::MAX)),
    ];
    let value = prop_oneof![extra_value(), tricky.clone(), prop::collection::vec(tricky, 0..3).prop_map(Value::from)];
    let object = prop::collection::vec(("[a-zA-Z\"\\\\\u{e9}]{0,6}", value), 0..5).prop_map(|members| Value::Object(members.into_iter().collect()));
    let written = (prop_oneof![object, extra_value()], any::<bool>())
        .prop_map(|(value, pretty)| if pretty { serde_json::to_string_pretty(&value).unwrap() } else { value.to_string() });
    let alphabet: Vec<char> = "{}[]:,\"\\/ubfnrt0123456789.eE+-aelnrsu \t\n\r\u{1}\u{c}".chars().collect();
    let edit = (any::<prop::sample::Index>(), 0..3u8, prop::sample::select(alphabet));
    let edited = (written, prop::collection::vec(edit, 0..3)).prop_map(|(mut text, edits)| {
        for (at, how, c) in edits {
            let boundaries: Vec<usize> = text.char_indices().map(|(i, _)| i).chain([text.len()]).collect();
            let at = boundaries[at.index(boundaries.len())];
            match how {
                0 => text.insert(at, c),
                1 if at < text.len() => drop(text.remove(at)),
                _ if at < text.len() => text.replace_range(at..at + text[at..].chars().next().unwrap().len_utf8(), &c.to_string()),
                _ => text.push(c),
            }
        }
        text
    });
    let tokens = [
        "{",
        "}",
        "[",
        "]",
        ":",
        ",",
        " ",
        "\n",
        "\"a\"",
        "\"\\u00e9\"",
        "\"\\ud83d\\ude00\"",
        "\"\\ud83d\"",
        "\"\\udc00x\"",
        "\"\\ud83dx\"",
        "\"\\f\\b\\/\\r\"",
        "\"\t\"",
        "\"\u{1}\"",
        "\"\\x\"",
        "\"\\u12g4\"",
        "1",
        "-0",
        "1e-2",
        "1E+2",
        "0.5",
        "-",
        "01",
        "1.",
        ".5",
        "1e",
        "true",
        "false",
        "null",
        "nul",
        "tru",
    ];
    let run = prop::collection::vec(prop::sample::select(tokens.to_vec()), 0..12).prop_map(|tokens| format!("{{{}", tokens.concat()));
    prop_oneof![edited, run]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4096))]
    #[test]
    fn members_reads_what_serde_json_reads(json in json_text()) {
        prop_assert_eq!(our_members(&json), serde_members(&json), "{}", json);
        let serde_items = serde_json::from_str::<Vec<&serde_json::value::RawValue>>(&json).ok().map(|items| items.iter().map(|raw| raw.get().to_owned()).collect::<Vec<_>>());
        let items = array_items(&json).ok().map(|items| items.into_iter().map(str::to_owned).collect::<Vec<_>>());
        prop_assert_eq!(items, serde_items, "{}", json);
    }
}

proptest! {
    #[test]
    fn codec_round_trips_any_bytes(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        let encoded = codec::encode(&bytes);
        prop_assert!(!encoded.contains(['=', '+', '/']));
        prop_assert_eq!(codec::decode(&encoded, 600).unwrap(), bytes.clone());
        // Standard alphabet with padding reads the same.
        let standard = base64::Engine::encode(&base64::engine::general_purpose::STANDARD, &bytes);
        prop_assert_eq!(codec::decode(&standard, 600).unwrap(), bytes);
    }

    #[test]
    fn codec_never_panics(input in ".{0,200}", limit in 0usize..300) {
        let _ = codec::decode(&input, limit);
    }

    #[test]
    fn message_parser_never_panics(input in ".{0,300}") {
        let _ = Message::from_json(&input);
    }

    #[test]
    fn creq_round_trips_with_unknown_fields(
        server in uuid(), acs in uuid(), version in version(),
        size in prop::sample::select(ChallengeWindowSize::ALL.to_vec()),
        extras in prop::collection::btree_map("x[A-Za-z]{1,10}", extra_value(), 0..4),
    ) {
        let mut value = json!({
            "messageType": "CReq", "messageVersion": version.as_str(),
            "threeDSServerTransID": server, "acsTransID": acs, "challengeWindowSize": size.code(),
        });
        for (key, extra) in extras {
            value[key] = extra;
        }
        let message = Message::from_value(value.clone()).unwrap();
        prop_assert_eq!(message.to_value(), value.clone());
        // Through the form field, as the browser posts it.
        let creq: CReq = serde_json::from_value(value.clone()).unwrap();
        let field = codec::encode_json(&creq);
        let back: Value = codec::decode_json(&field, 1 << 16).unwrap();
        prop_assert_eq!(back, value);
    }

    #[test]
    fn method_data_round_trips(server in uuid(), url in "https://[a-z]{1,12}\\.example/[a-z0-9/?=&%-]{0,40}") {
        let data = MethodData { three_ds_server_trans_id: server.clone(), three_ds_method_notification_url: url, extra: Default::default() };
        prop_assert_eq!(MethodData::decode(&data.encode()).unwrap(), data);
        let notification = MethodNotification::new(server);
        prop_assert_eq!(MethodNotification::decode(&notification.encode()).unwrap(), notification);
    }

    #[test]
    fn window_selection_always_fits_or_is_full_screen(width in 0u32..3000, height in 0u32..3000) {
        let size = ChallengeWindowSize::largest_fitting(width, height);
        match size.dimensions() {
            Some((w, h)) => prop_assert!(w <= width && h <= height),
            None => prop_assert!(ChallengeWindowSize::ALL.iter().filter_map(|s| s.dimensions()).all(|(w, h)| w > width || h > height)),
        }
    }

    #[test]
    fn normalised_browser_info_always_validates(
        version in version(), depth in -10i64..100, height in -10i64..2_000_000, width in -10i64..2_000_000,
        tz in -20_000i64..20_000, language in "[a-z]{2,3}(-[A-Za-z0-9]{1,8}){0,3}", ua in ".{1,3000}",
        languages in prop::collection::vec("[a-z]{2}(-[A-Z]{2})?", 0..120),
    ) {
        let readings = BrowserReadings {
            java_enabled: false, javascript_enabled: true, language, languages,
            color_depth: depth, screen_height: height, screen_width: width, timezone_offset_minutes: tz, user_agent: ua,
        };
        let mut info = BrowserInfo::from_readings(&readings, version);
        info.accept_header = Some("text/html".into());
        prop_assert!(info.validate(version).is_ok(), "{:?}", info.validate(version));
        // Through the wire and back.
        let json = serde_json::to_value(&info).unwrap();
        prop_assert_eq!(serde_json::from_value::<BrowserInfo>(json).unwrap(), info);
    }

    #[test]
    fn normalisers_respect_their_bounds(depth in any::<i64>(), tag in ".{0,60}", text in ".{0,3000}", max in 1usize..50) {
        prop_assert!(threeds_protocol::browser::COLOR_DEPTHS.contains(&normalise_color_depth(depth)));
        prop_assert!(fit_language(&tag, max).chars().count() <= max);
        let cut = truncate_on_char_boundary(&text, 2048);
        prop_assert!(cut.len() <= 2048 && text.starts_with(cut));
    }
}
