//! Auditing a classified history.
