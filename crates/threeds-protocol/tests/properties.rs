//! Property tests: codec and message round trips, and decoders that never panic.

use proptest::prelude::*;
use serde_json::{Value, json};
use threeds_protocol::browser::{BrowserInfo, BrowserReadings, fit_language, normalise_color_depth, truncate_on_char_boundary};
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
