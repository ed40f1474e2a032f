//! Embeds every file of `migrations/` (`NNNN_description.sql`) in the library, so that adding a
//! migration is adding its file: `src/migrate.rs` includes the list written here.

use std::{env, fs, path::Path};

fn main() {
    let dir = Path::new(&env::var("CARGO_MANIFEST_DIR").unwrap()).join("migrations");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<_> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "sql"))
        .collect();
    files.sort();
    let mut out = String::from("&[\n");
    for path in files {
        let name = path.file_stem().unwrap().to_str().unwrap();
        let (version, description) = name
            .split_once('_')
            .unwrap_or_else(|| panic!("{name}.sql: a migration is named NNNN_description.sql"));
        let version: i64 = version
            .parse()
            .unwrap_or_else(|_| panic!("{name}.sql: the name starts with its number"));
        println!("cargo:rerun-if-changed={}", path.display());
        out.push_str(&format!(
            "    ({version}, {:?}, include_str!({:?})),\n",
            description.replace('_', " "),
            path.display().to_string()
        ));
    }
    out.push_str("]\n");
    fs::write(
        Path::new(&env::var("OUT_DIR").unwrap()).join("migrations.rs"),
        out,
    )
    .unwrap();
}
