fn main() {
    std::process::exit(hs::cli::run());
}
