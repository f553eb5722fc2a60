// mimalloc: loading the reference files makes some 200,000 small
// allocations and a bulk run many more; it loads and frees them in about
// half the time of the system allocator (see README, "Figures").
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(hs::cli::run());
}
