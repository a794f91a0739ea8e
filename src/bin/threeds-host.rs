//! The SDK host app's entry point (built by Trunk as its own wasm module).

#![deny(missing_docs)]

fn main() {
    threeds_web::host::run();
}
