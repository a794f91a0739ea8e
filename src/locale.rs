//! The host page's own words (the loading line and frame titles), in each locale
//! the SDK speaks. Pure: the embed picks the locale (the `locale` option, else the
//! browser's languages), speaks it in the checkout page (the challenge dialog's
//! label and Cancel: `www/embed/rules.js`, the same locales in the same order) and
//! tells the host frame with `?locale=`.

/// The locales the SDK speaks, in the tables' order; anything else falls back to English.
pub const LOCALES: [&str; 8] = ["en", "de", "fr", "es", "it", "nl", "pl", "pt"];

/// The host page's words in one locale.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HostStrings {
    /// Shown until the bank's page has loaded.
    pub loading: &'static str,
    /// The bank's frame's title.
    pub frame_title: &'static str,
    /// The hidden 3DS Method frame's title.
    pub method_title: &'static str,
}

static HOST: [HostStrings; 8] = [
    HostStrings {
        loading: "Loading your bank's verification…",
        frame_title: "Card verification by your bank",
        method_title: "3-D Secure device check",
    },
    HostStrings {
        loading: "Die Prüfung Ihrer Bank wird geladen…",
        frame_title: "Kartenprüfung durch Ihre Bank",
        method_title: "3-D-Secure-Geräteprüfung",
    },
    HostStrings {
        loading: "Chargement de la vérification de votre banque…",
        frame_title: "Vérification de la carte par votre banque",
        method_title: "Vérification 3-D Secure de l'appareil",
    },
    HostStrings {
        loading: "Cargando la verificación de su banco…",
        frame_title: "Verificación de la tarjeta por su banco",
        method_title: "Comprobación 3-D Secure del dispositivo",
    },
    HostStrings {
        loading: "Caricamento della verifica della tua banca…",
        frame_title: "Verifica della carta da parte della tua banca",
        method_title: "Controllo 3-D Secure del dispositivo",
    },
    HostStrings {
        loading: "De verificatie van uw bank wordt geladen…",
        frame_title: "Kaartverificatie door uw bank",
        method_title: "3-D Secure-apparaatcontrole",
    },
    HostStrings {
        loading: "Wczytywanie weryfikacji Twojego banku…",
        frame_title: "Weryfikacja karty przez Twój bank",
        method_title: "Sprawdzenie urządzenia 3-D Secure",
    },
    HostStrings {
        loading: "A carregar a verificação do seu banco…",
        frame_title: "Verificação do cartão pelo seu banco",
        method_title: "Verificação 3-D Secure do dispositivo",
    },
];

/// Which of [`LOCALES`] the first tag (`fr-CA`, `pt_BR`, `DE`) whose language the
/// SDK speaks names; 0 (English) when none does.
pub fn pick_index<'a>(tags: impl IntoIterator<Item = &'a str>) -> usize {
    for tag in tags {
        // The primary language subtag: up to the first `-` or `_` (a byte loop: no
        // pattern searcher in the size-budgeted host app).
        let end = tag.bytes().position(|b| b == b'-' || b == b'_').unwrap_or(tag.len());
        let language = tag.as_bytes().get(..end).unwrap_or_default();
        if let Some(index) = LOCALES.iter().position(|locale| locale.as_bytes().eq_ignore_ascii_case(language)) {
            return index;
        }
    }
    0
}

/// The host page's words for the first tag spoken (see [`pick_index`]).
pub fn pick_host<'a>(tags: impl IntoIterator<Item = &'a str>) -> (&'static str, &'static HostStrings) {
    let index = pick_index(tags);
    (LOCALES[index], &HOST[index])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_language_spoken_wins_and_english_is_the_fallback() {
        assert_eq!(LOCALES[pick_index(["fr-CA", "de"])], "fr");
        assert_eq!(LOCALES[pick_index(["ja", "pt_BR"])], "pt");
        assert_eq!(LOCALES[pick_index(["DE"])], "de");
        assert_eq!(pick_index(["ja", "zh-Hant"]), 0);
        assert_eq!(pick_index([]), 0);
        assert_eq!(pick_index([""]), 0);
        assert_eq!(pick_host(["nl-BE"]), ("nl", &HOST[5]));
    }

    #[test]
    fn every_locale_has_every_string() {
        for host in &HOST {
            for text in [host.loading, host.frame_title, host.method_title] {
                assert!(!text.trim().is_empty());
            }
        }
    }

    #[test]
    fn the_embed_speaks_the_same_locales_in_the_same_order() {
        let embed = include_str!("../www/embed/rules.js");
        let tags: Vec<&str> = embed.match_indices("{ tag: \"").map(|(at, found)| &embed[at + found.len()..at + found.len() + 2]).collect();
        assert_eq!(tags, LOCALES, "rules.js's STRINGS");
    }
}
