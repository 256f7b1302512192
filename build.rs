// embed_migrations! does not notice a new migration folder without this.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
