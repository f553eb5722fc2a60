//! Ctrl-C during a bulk run: the first SIGINT sets a flag that the run
//! checks while it gathers rows and between chunks, so it works and writes
//! the rows already read (also while it waits for more input on stdin),
//! flushes them and exits 130. A second SIGINT ends the process at once
//! with 130.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// The exit code after an interrupt (128 + SIGINT, as shells report it).
pub const EXIT_INTERRUPTED: i32 = 130;

/// The state shared with the signal handler.
#[derive(Clone)]
pub struct Interrupt {
    requested: Arc<AtomicBool>,
}

impl Interrupt {
    /// Installs the handler (once per run); on platforms without it, or if
    /// installing fails, Ctrl-C keeps its default effect.
    pub fn install() -> Interrupt {
        let it = Interrupt {
            requested: Arc::new(AtomicBool::new(false)),
        };
        #[cfg(unix)]
        {
            use signal_hook::consts::SIGINT;
            use signal_hook::flag;
            // Order matters: the shutdown check runs before the flag is set,
            // so the first Ctrl-C only sets the flag and the second exits.
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
}
