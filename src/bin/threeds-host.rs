//! The SDK host app's entry point (built by Trunk as its own wasm module).

fn main() {
    threeds_web::host::run();
}
