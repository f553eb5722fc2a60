//! Ctrl-C during a bulk run: the first SIGINT sets a flag that the run
//! checks between rows and chunks, so it stops after whole output lines,
//! flushes them and exits 130. While the run waits for input (its output
//! already flushed) a SIGINT ends the process at once with 130; a second
//! SIGINT always does.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// The exit code after an interrupt (128 + SIGINT, as shells report it).
pub const EXIT_INTERRUPTED: i32 = 130;

/// The state shared with the signal handler.
#[derive(Clone)]
pub struct Interrupt {
    requested: Arc<AtomicBool>,
    idle: Arc<AtomicBool>,
}

impl Interrupt {
    /// Installs the handler (once per run); on platforms without it, or if
    /// installing fails, Ctrl-C keeps its default effect.
    pub fn install() -> Interrupt {
        let it = Interrupt {
            requested: Arc::new(AtomicBool::new(false)),
            idle: Arc::new(AtomicBool::new(false)),
        };
        #[cfg(unix)]
        {
            use signal_hook::consts::SIGINT;
            use signal_hook::flag;
            // Order matters: the shutdown checks run before the flag is set,
            // so the first Ctrl-C while busy only sets the flag.
            let _ =
                flag::register_conditional_shutdown(SIGINT, EXIT_INTERRUPTED, Arc::clone(&it.idle));
            let _ = flag::register_conditional_shutdown(
                SIGINT,
                EXIT_INTERRUPTED,
                Arc::clone(&it.requested),
            );
            let _ = flag::register(SIGINT, Arc::clone(&it.requested));
        }
        it
    }

    /// True once Ctrl-C was pressed.
    pub fn requested(&self) -> bool {
        self.requested.load(Ordering::SeqCst)
    }

    /// Marks whether the run is waiting for input with nothing unwritten
    /// (an interrupt may then end the process at once).
    pub fn set_idle(&self, idle: bool) {
        self.idle.store(idle, Ordering::SeqCst);
    }
}
