//! Every input the fuzz targets keep (their committed seeds and corpora) replayed
//! through the same checks, natively: a crash once found stays fixed in CI, which
//! runs no fuzzer.

use std::path::{Path, PathBuf};

#[path = "../fuzz/checks.rs"]
mod checks;

/// The committed inputs of a target: `fuzz/seeds/<target>` and `fuzz/corpus/<target>`.
fn inputs(target: &str) -> Vec<PathBuf> {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut files = Vec::new();
    for folder in ["seeds", "corpus"] {
        let dir = fuzz.join(folder).join(target);
        let entries = std::fs::read_dir(&dir).unwrap_or_else(|error| panic!("{}: {error}", dir.display()));
        files.extend(entries.map(|entry| entry.expect("a directory entry").path()).filter(|path| path.is_file()));
    }
    files.sort();
    files
}

#[test]
fn every_kept_fuzz_input_passes_its_target_checks() {
    for (target, check) in checks::TARGETS {
        let files = inputs(target);
        // Seeds alone are a handful; a corpus a fuzzer kept is far more.
        assert!(files.len() >= 20, "{target}: only {} inputs; the corpus is missing (see fuzz/README.md)", files.len());
        for file in files {
            let data = std::fs::read(&file).unwrap_or_else(|error| panic!("{}: {error}", file.display()));
            if std::panic::catch_unwind(|| check(&data)).is_err() {
                panic!("{target}: {} breaks the target's checks", file.display());
            }
        }
    }
}

#[test]
fn the_targets_are_the_fuzz_crates_binaries() {
    let manifest = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/Cargo.toml")).expect("fuzz/Cargo.toml");
    for (target, _) in checks::TARGETS {
        assert!(manifest.contains(&format!("name = \"{target}\"")), "{target} is not a [[bin]] of fuzz/Cargo.toml");
    }
    let binaries = manifest.matches("[[bin]]").count();
    assert_eq!(binaries, checks::TARGETS.len(), "every fuzz binary has its checks in checks.rs");
}
