// mimalloc: loading the reference files makes some 200,000 small
// allocations and a bulk run many more; it loads and frees them in about
// half the time of the system allocator (see README, "Figures").
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    keep_freed_memory();
    std::process::exit(hs::cli::run());
}

/// mimalloc's number for its `purge_delay` option (`mi_option_purge_delay`
/// in mimalloc v3's `mimalloc.h`; the Rust bindings name no constant).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// mimalloc's own default for it, in milliseconds.
const PURGE_DELAY_DEFAULT: std::ffi::c_long = 1000;

/// Tells the allocator to keep the memory a search frees for the next one
/// rather than hand it back to the system a second later. Handed back, it
/// comes again as fresh (often 2 MiB) pages the kernel must clear: on a
/// 2-core machine that cost a bulk `classify` a fifth of its time (README,
/// "Figures"). Memory in use stays at its peak, which the run reaches
/// anyway. The option is set only while it holds mimalloc's default, so a
/// `MIMALLOC_PURGE_DELAY` the user set to anything else wins, and an option
/// number that ever came to mean something else is left alone.
#[allow(unsafe_code)]
fn keep_freed_memory() {
    // SAFETY: mi_option_get and mi_option_set read and store one integer
    // in mimalloc's option table; no pointer is passed or returned. The
    // store is not atomic, so this runs first thing in `main`, before any
    // thread is started.
    unsafe {
        if libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) == PURGE_DELAY_DEFAULT {
            libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The option number names the purge delay: before it is set it holds
    /// mimalloc's documented default (or what the environment says), and
    /// afterwards "never".
    #[test]
    #[allow(unsafe_code)]
    fn the_purge_delay_is_set_to_never() {
        // SAFETY: as in keep_freed_memory.
        let before = unsafe { libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) };
        // mimalloc also reads the option's older name.
        let from_env = std::env::var("MIMALLOC_PURGE_DELAY")
            .or_else(|_| std::env::var("MIMALLOC_RESET_DELAY"))
            .ok();
        if from_env.is_none() {
            assert_eq!(before, PURGE_DELAY_DEFAULT);
        }
        keep_freed_memory();
        // SAFETY: as above.
        let after = unsafe { libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) };
        if from_env.is_none() {
            assert_eq!(after, -1);
        }
    }
}
