//! Records where the reference data was found at build time, so that an
//! installed `hs` works from any folder without set-up.
use std::path::PathBuf;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=HS_DATA_DIR");
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default());
    // This crate lives at `crates/hs-core`; the data sits beside the repository.
    let candidate = manifest.join("../../..").join("shared").join("hs-data");
    let path = candidate.canonicalize().unwrap_or(candidate);
    if !path.join("hs2022").exists() {
        println!(
            "cargo:warning=reference data not found at {}; `hs` will need --data DIR or HS_DATA_DIR at run time",
            path.display()
        );
    }
    println!("cargo:rustc-env=HS_BUILTIN_DATA_DIR={}", path.display());
}
